// Users placeholder.
import { PendingApi } from '../components/pending-api';

export function UsersPage() {
  return <PendingApi title="Users and roles" area="users" description="Accounts and their roles." />;
}
