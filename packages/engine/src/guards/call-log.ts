// The element call log writer: rows written close together (announces before sends, completions after) go into one
// multi-row upsert. Each writer still waits until its row is stored, so a send never runs ahead of its announce and
// a diagnosis or a job end never runs ahead of the call it points at.
import type { DbHandle } from '@netplane/db';
import { elementCallsRepo } from '@netplane/db';

/** Rows wait at most this long for company; a few ms against a 20 ms controller call. */
const FLUSH_MS = 4;
/** A full group goes at once. */
const MAX_GROUP = 100;

type Pending = { row: elementCallsRepo.ElementCallRow; resolve: () => void; reject: (e: unknown) => void };

export class CallLogWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: DbHandle) {}

  write(row: elementCallsRepo.ElementCallRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (this.pending.length >= MAX_GROUP) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    });
  }

  /** Writes what is waiting now; resolves once every row handed in so far is stored. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending;
    this.pending = [];
    if (group.length > 0) {
      // Groups are written one after the other, in order. A completion never shares a group with its own announce:
      // the call is sent only once the announce is stored.
      this.writing = this.writing.then(async () => {
        try {
          await elementCallsRepo.writeCalls(
            this.db.db,
            this.db.dialect,
            group.map((p) => p.row),
          );
          for (const p of group) p.resolve();
        } catch (e) {
          for (const p of group) p.reject(e);
        }
      });
    }
    return this.writing;
  }
}
