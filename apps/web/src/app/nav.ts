// The sidebar's sections, in the order an admin sets things up and support looks things up.
import {
  Activity,
  BookOpen,
  Boxes,
  Cloud,
  FlaskConical,
  Grid3x3,
  LayoutDashboard,
  LifeBuoy,
  ListChecks,
  type LucideIcon,
  Network,
  Plug,
  ScrollText,
  Users,
} from 'lucide-react';

export type NavItem = { to: string; label: string; icon: LucideIcon };
export type NavGroup = { label: string; items: NavItem[] };

export const NAV: NavGroup[] = [
  {
    label: 'Overview',
    items: [{ to: '/', label: 'Dashboard', icon: LayoutDashboard }],
  },
  {
    label: 'Inventory',
    items: [
      { to: '/infrastructure', label: 'Infrastructure', icon: Network },
      { to: '/adapters', label: 'Adapters', icon: Plug },
      { to: '/capabilities', label: 'Capability matrix', icon: Grid3x3 },
      { to: '/offerings', label: 'Offerings', icon: Boxes },
    ],
  },
  {
    label: 'Provisioning',
    items: [
      { to: '/vpcs', label: 'VPCs', icon: Cloud },
      { to: '/jobs', label: 'Jobs', icon: ListChecks },
    ],
  },
  {
    label: 'Support',
    items: [
      { to: '/diagnostics', label: 'Diagnostics', icon: Activity },
      { to: '/triage', label: 'Support triage', icon: LifeBuoy },
      { to: '/simulator', label: 'Simulator', icon: FlaskConical },
    ],
  },
  {
    label: 'Administration',
    items: [
      { to: '/audit', label: 'Audit log', icon: ScrollText },
      { to: '/users', label: 'Users and roles', icon: Users },
      { to: '/api-reference', label: 'API reference', icon: BookOpen },
    ],
  },
];
