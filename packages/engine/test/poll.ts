// Polls a condition until it holds (no fixed sleeps as synchronisation); fails with the last value seen. The default
// deadline is generous for a loaded CI machine and under the 60 s test timeout, so a failure names the condition.
export async function waitFor<T>(
  read: () => T | Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
    last = await read();
  }
  return last;
}
