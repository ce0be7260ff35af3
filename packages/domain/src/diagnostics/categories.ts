// The one place that maps adapter error categories to diagnosis categories, and each category to its title,
// remediation and applicable actions. Exhaustive switches: a new category cannot be added without a diagnosis.
import { type AdapterErrorCategory, assertNever, type DiagnosisCategory } from '../vocabulary';
import type { DiagnosisAction } from './types';

export function diagnosisCategoryOf(category: AdapterErrorCategory): DiagnosisCategory {
  switch (category) {
    case 'TIMEOUT':
      return 'CONTROLLER_TIMEOUT';
    case 'UNREACHABLE':
      return 'CONTROLLER_UNREACHABLE';
    case 'AUTH_FAILED':
      return 'AUTH_FAILED';
    case 'RESOURCE_CONFLICT':
      return 'RESOURCE_CONFLICT';
    case 'CAPACITY_EXHAUSTED':
      return 'CAPACITY_EXHAUSTED';
    case 'RATE_LIMITED':
      return 'RATE_LIMITED';
    // The controller refused what we sent: the vendor's code and message are the evidence worth reading.
    case 'INVALID_REQUEST':
    case 'VENDOR_ERROR':
      return 'VENDOR_ERROR';
    case 'ADAPTER_CRASHED':
      return 'ADAPTER_CRASHED';
    default:
      return assertNever(category, 'adapter error category');
  }
}

/** The short label of a category; CONTROLLER_TIMEOUT keeps CloudStack's "Resource Unavailable". */
export function titleOf(category: DiagnosisCategory): string {
  switch (category) {
    case 'NO_ELEMENT_FOR_SERVICE':
      return 'No element for service';
    case 'TAG_MISMATCH':
      return 'Tag mismatch';
    case 'ISOLATION_UNSUPPORTED':
      return 'Isolation method unsupported';
    case 'PROVIDER_DISABLED':
      return 'Provider disabled';
    case 'CONTROLLER_UNREACHABLE':
      return 'Controller unreachable';
    case 'CONTROLLER_TIMEOUT':
      return 'Resource Unavailable';
    case 'AUTH_FAILED':
      return 'Authentication failed';
    case 'RESOURCE_CONFLICT':
      return 'Resource conflict';
    case 'CAPACITY_EXHAUSTED':
      return 'Capacity exhausted';
    case 'RATE_LIMITED':
      return 'Rate limited';
    case 'VENDOR_ERROR':
      return 'Vendor error';
    case 'CREDENTIALS_UNREADABLE':
      return 'Credentials unreadable';
    case 'CONTROLLER_LOST_STATE':
      return "Controller lost Netplane's resources";
    case 'NOT_REALIZED':
      return 'Not realized';
    case 'ADAPTER_CRASHED':
      return 'Adapter crashed';
    case 'INTERNAL':
      return 'Internal error';
    default:
      return assertNever(category, 'diagnosis category');
  }
}

/** Every action a category can offer, before narrowing to what the target allows. */
export function actionsOf(category: DiagnosisCategory): DiagnosisAction[] {
  switch (category) {
    case 'NO_ELEMENT_FOR_SERVICE':
    case 'TAG_MISMATCH':
    case 'ISOLATION_UNSUPPORTED':
    case 'PROVIDER_DISABLED':
      return ['rerun-negotiation'];
    case 'CONTROLLER_UNREACHABLE':
    case 'AUTH_FAILED':
    case 'VENDOR_ERROR':
    case 'CONTROLLER_LOST_STATE':
      return ['retry', 'open-controller'];
    // A timed-out create may have happened anyway: a retry adopts it through observe().
    case 'CONTROLLER_TIMEOUT':
      return ['retry', 'adopt', 'open-controller'];
    // Never adopt what is not ours: the resource must be removed on the controller (or the NIC released) first.
    case 'RESOURCE_CONFLICT':
      return ['release', 'retry', 'open-controller'];
    case 'CAPACITY_EXHAUSTED':
      return ['release', 'retry', 'open-controller'];
    // The controller's limits in Netplane are part of the fix.
    case 'RATE_LIMITED':
      return ['retry', 'open-controller'];
    // The fix is on this side (a key or the credentials); the retry comes after it.
    case 'CREDENTIALS_UNREADABLE':
      return ['open-controller', 'retry'];
    // Nothing failed on our side: the fix is on the controller, and the next reconcile checks again.
    case 'NOT_REALIZED':
      return ['open-controller'];
    // The runtime restarted the adapter process: a retry runs on the new one (adopting what the old one made).
    case 'ADAPTER_CRASHED':
      return ['retry', 'adopt'];
    case 'INTERNAL':
      return ['retry'];
    default:
      return assertNever(category, 'diagnosis category');
  }
}

/**
 * Negotiation skips a controller whose last health check failed, so a retry after a timeout or a refused connection
 * fails with NO_ELEMENT_FOR_SERVICE until a check succeeds: the check has to come first.
 */
export const TEST_CONNECTION_FIRST =
  'Run "Test connection" on the controller first (Infrastructure › Controllers): while its last health check has failed, negotiation skips it and a retry fails with NO_ELEMENT_FOR_SERVICE. Then retry.';

/** Where to look and what to change, per category; `where` names the controller or provider when known. */
export function remediationOf(category: DiagnosisCategory, where: string): string {
  switch (category) {
    case 'NO_ELEMENT_FOR_SERVICE':
      return `Add or enable a provider offering this service on ${where}, or choose an offering that does not need it; then re-run negotiation.`;
    case 'TAG_MISMATCH':
      return `Make the labels agree: edit the tags of ${where} or the offering's required tags (Infrastructure › Physical networks, or Offerings); then re-run negotiation.`;
    case 'ISOLATION_UNSUPPORTED':
      return `Use an offering whose isolation method the providers of ${where} support, or register a provider that supports it; then re-run negotiation.`;
    case 'PROVIDER_DISABLED':
      return `Enable the provider on ${where} (Infrastructure › Providers) if it should serve this network; then re-run negotiation.`;
    case 'CONTROLLER_UNREACHABLE':
      return `Check that ${where} is up and its endpoint reachable from the management nodes (DNS, firewall, TLS). ${TEST_CONNECTION_FIRST}`;
    case 'CONTROLLER_TIMEOUT':
      return `${where} did not answer within its timeout. Check its load and health, or raise the timeout in the controller's limits. ${TEST_CONNECTION_FIRST} What it may have created is adopted.`;
    case 'AUTH_FAILED':
      return `Update the credentials of ${where} (Infrastructure › Controllers › Edit credentials); then retry.`;
    case 'RESOURCE_CONFLICT':
      return `A resource on ${where} is in the way and is not ours; Netplane never overwrites it. Remove or rename it on the controller (or release the NIC), then retry.`;
    case 'CAPACITY_EXHAUSTED':
      return `${where} has no free capacity (VLANs, ports or segments). Release unused NICs or networks, or raise the controller's capacity; then retry.`;
    case 'RATE_LIMITED':
      return `${where} kept answering 429 Too Many Requests past every retry. Lift the throttling on the controller (or wait out its Retry-After), and lower the controller's calls-per-second limit in Netplane to what the vendor allows (Infrastructure › Controllers › Edit limits); then retry.`;
    case 'VENDOR_ERROR':
      return `Look up the vendor code in ${where}'s documentation or logs; fix the cause on the controller; then retry.`;
    case 'CREDENTIALS_UNREADABLE':
      return `The stored credentials of ${where} cannot be decrypted: they were sealed under a master key this node does not hold. Restore that key (master-keys.json from a backup or another node, or the same NETPLANE_MASTER_KEY on every node; \`keys status\` lists the missing key ids), or re-enter the credentials (Infrastructure › Controllers › Edit credentials); then retry.`;
    case 'CONTROLLER_LOST_STATE':
      return `${where} no longer holds resources Netplane created there (it was restarted empty, or restored from an older backup). Retry re-creates them: it re-implements the missing VPC and tiers and re-prepares their NICs, then checks the controller again.`;
    case 'NOT_REALIZED':
      return `${where} accepted the change but did not put it into effect. Fix the cause on the controller (each part's reason says where to look); the next reconcile (or Reconcile on the VPC) checks again and resolves this.`;
    case 'ADAPTER_CRASHED':
      return `The adapter process serving ${where} exited during the call (its exit code or signal is in the evidence); Netplane restarts it with backoff. Check the adapter's log lines and its runtime on the Adapters page (restarts, last exit, memory); a crash that repeats is the adapter's bug: report it to its vendor with the support bundle. Then retry: what the old process made is adopted.`;
    case 'INTERNAL':
      return 'This is a Netplane fault: export the support bundle and attach it to a bug report; a retry may succeed.';
    default:
      return assertNever(category, 'diagnosis category');
  }
}
