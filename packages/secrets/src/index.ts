export { decryptEnvelope, encryptEnvelope, KEY_ID_PATTERN, parseEnvelope, type Sealed } from './envelope';
export {
  addActiveKey,
  KEY_FILE_NAME,
  keyFilePath,
  loadKeyFile,
  loadOrCreateKeyFile,
  retireKey,
} from './key-file';
export { KeyringError, type KeySet, type MasterKey } from './key-types';
export { envKeySource, fileKeySource, Keyring, type KeySource, openKeyring } from './keyring';
export { fingerprintId, parseMasterKeyEnv } from './master-key-env';
