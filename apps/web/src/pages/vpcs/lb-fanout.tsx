// The picture of one LB rule: the VIP on the left fanning out to its members on the right.
type Member = { vmName: string; ip: string };

const ROW_H = 26;
const W = 460;

export function LbFanout({
  vip,
  protocol,
  members,
  privatePort,
}: {
  vip: string;
  protocol: string;
  members: readonly Member[];
  privatePort: number | string;
}) {
  const rows = Math.max(1, members.length);
  const shown = members.slice(0, 12);
  const h = Math.max(shown.length, 1) * ROW_H + 8;
  const vipY = h / 2;
  const label =
    members.length === 0
      ? `${vip} ${protocol} has no members yet`
      : `${vip} ${protocol} balanced over ${members.length} member${rows > 1 ? 's' : ''} on port ${privatePort}`;
  return (
    <svg viewBox={`0 0 ${W} ${h}`} className="w-full max-w-md" role="img" aria-label={label}>
      <rect
        x={2}
        y={vipY - 14}
        width={150}
        height={28}
        rx={6}
        className="fill-sky-50 stroke-sky-600 dark:fill-sky-950 dark:stroke-sky-400"
      />
      <text
        x={77}
        y={vipY + 4}
        textAnchor="middle"
        className="fill-slate-900 font-mono text-[11px] dark:fill-slate-100"
      >
        {vip}/{protocol}
      </text>
      {shown.length === 0 && (
        <text x={200} y={vipY + 4} className="fill-slate-500 text-[12px] dark:fill-slate-400">
          no members
        </text>
      )}
      {shown.map((m, i) => {
        const y = 4 + i * ROW_H + ROW_H / 2;
        return (
          <g key={`${m.ip}-${m.vmName}`}>
            <path
              d={`M152 ${vipY} C 220 ${vipY}, 220 ${y}, 280 ${y}`}
              className="fill-none stroke-slate-400 dark:stroke-slate-500"
            />
            <rect
              x={280}
              y={y - 10}
              width={176}
              height={20}
              rx={4}
              className="fill-emerald-50 stroke-emerald-600 dark:fill-emerald-950 dark:stroke-emerald-400"
            />
            <text x={288} y={y + 4} className="fill-slate-900 text-[11px] dark:fill-slate-100">
              {m.vmName.length > 12 ? `${m.vmName.slice(0, 11)}…` : m.vmName} {m.ip}:{privatePort}
            </text>
          </g>
        );
      })}
      {members.length > shown.length && (
        <text x={W - 4} y={h - 2} textAnchor="end" className="fill-slate-500 text-[10px]">
          +{members.length - shown.length} more
        </text>
      )}
    </svg>
  );
}
