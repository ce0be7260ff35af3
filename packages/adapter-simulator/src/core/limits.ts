// Admission limits of the simulated controller: a token bucket (429-like) and a sliding one-second call counter.

/** Classic token bucket; `take` answers 0 when a token was taken, else the ms until one is available. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.ratePerSecond) / 1000);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond));
  }
}

/** Counts arrivals in a sliding one-second window and remembers the largest count seen. */
export class SlidingSecond {
  private readonly times: number[] = [];
  private head = 0;
  max = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  record(): void {
    const t = this.now();
    this.times.push(t);
    while (this.head < this.times.length && (this.times[this.head] as number) <= t - 1000) this.head++;
    // Compact now and then so a long benchmark does not keep every timestamp.
    if (this.head > 4096) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    this.max = Math.max(this.max, this.times.length - this.head);
  }
}
