// Conditions Ready and Synced.
export * from './conditions';
