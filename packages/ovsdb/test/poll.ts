// Polls a condition until it holds (no fixed sleeps in tests); fails with the last value seen. The default deadline
// is generous (a loaded CI machine) and still under the 20 s test timeout, so the failure names the condition.
export async function waitFor<T>(
  read: () => T | Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}
