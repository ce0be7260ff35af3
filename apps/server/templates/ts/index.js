// @ts-check
// The __DISPLAY__ adapter: the package's default export is an AdapterModule, a manifest and a factory of elements
// (one per controller). The server provides '@netplane/adapter-sdk' (its peer dependency): do not bundle a copy.
import { element } from './element.js';
import { manifest } from './manifest.js';

/** @type {import('@netplane/adapter-sdk').AdapterModule} */
const adapter = {
  manifest,
  createElement: (connection, env) => element(connection, env),
};

export default adapter;
