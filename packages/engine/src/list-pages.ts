// The paged read models behind the console's tables: a repository's keyset page with its rows turned into views.
import { type Db, elementCallsRepo, jobsRepo, nicsRepo, type Page, vpcsRepo } from '@netplane/db';
import {
  type CallView,
  callView,
  type JobView,
  jobView,
  type NicView,
  nicView,
  type VpcView,
  vpcView,
} from './views';

const mapPage = <R, V>(p: Page<R>, f: (r: R) => V): Page<V> => ({ ...p, items: p.items.map(f) });

export const pageVpcViews = async (db: Db, q: vpcsRepo.VpcPageRequest): Promise<Page<VpcView>> =>
  mapPage(await vpcsRepo.listVpcs(db, q), vpcView);

export const pageJobViews = async (db: Db, q: jobsRepo.JobPageRequest): Promise<Page<JobView>> =>
  mapPage(await jobsRepo.pageJobs(db, q), jobView);

export const pageCallViews = async (db: Db, q: elementCallsRepo.CallPageRequest): Promise<Page<CallView>> =>
  mapPage(await elementCallsRepo.pageCalls(db, q), callView);

export const pageNicViews = async (db: Db, q: nicsRepo.NicPageRequest): Promise<Page<NicView>> =>
  mapPage(await nicsRepo.pageNics(db, q), nicView);
