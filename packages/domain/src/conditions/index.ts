// Conditions Ready, Synced and Realized.
export * from './conditions';
