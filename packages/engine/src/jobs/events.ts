// In-process job events: the API turns them into a subscription; other nodes' progress is read from the database.
import { EventEmitter } from 'node:events';

export type JobEvent = {
  jobId: string;
  kind: string;
  targetId: string;
  vpcId: string | null;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progressDone: number;
  progressTotal: number;
  at: number;
};

export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(e: JobEvent): void {
    this.emitter.emit('job', e);
  }

  on(listener: (e: JobEvent) => void): () => void {
    this.emitter.on('job', listener);
    return () => this.emitter.off('job', listener);
  }

  /**
   * A reconcile of the VPC could not trust what it saw (another job of the VPC was writing meanwhile) and wrote no
   * Synced: the drift watch (drift-watch.ts) checks the VPC again once its jobs have ended.
   */
  recheck(vpcId: string): void {
    this.emitter.emit('recheck', vpcId);
  }

  onRecheck(listener: (vpcId: string) => void): () => void {
    this.emitter.on('recheck', listener);
    return () => this.emitter.off('recheck', listener);
  }
}
