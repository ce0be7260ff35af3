// NETPLANE_ADAPTER_RUNTIME: id=process|in-process pairs, or one line naming what is wrong.
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv, parseAdapterRuntimeSetting } from './env';

describe('NETPLANE_ADAPTER_RUNTIME', () => {
  it('parses pairs, ignoring blanks', () => {
    expect(parseAdapterRuntimeSetting('simulator=process, ovn=in-process,')).toEqual({
      simulator: 'process',
      ovn: 'in-process',
    });
    expect(parseAdapterRuntimeSetting(undefined)).toEqual({});
  });

  it.each([
    ['simulator', '"simulator" is not <adapter id>=process|in-process (e.g. simulator=process,ovn=process)'],
    ['simulator=fast', 'adapter simulator: runtime "fast" is neither process nor in-process'],
    ['ovn=process,ovn=in-process', 'adapter ovn is named twice'],
    [
      'Bad Id=process',
      '"Bad Id=process" is not <adapter id>=process|in-process (e.g. simulator=process,ovn=process)',
    ],
  ])('%s is refused: %s', (value, line) => {
    expect(parseAdapterRuntimeSetting(value)).toBe(line);
    expect(() => loadEnv({ NETPLANE_ADAPTER_RUNTIME: value })).toThrow(
      new EnvError(`Invalid environment: NETPLANE_ADAPTER_RUNTIME: ${line}`),
    );
  });

  it('reaches Env as adapterRuntime', () => {
    expect(loadEnv({ NETPLANE_ADAPTER_RUNTIME: 'simulator=process' }).adapterRuntime).toEqual({
      simulator: 'process',
    });
  });
});
