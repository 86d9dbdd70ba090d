/** Tests take free ports the way the soak run and the benchmarks do. */
export { freePort } from '../../scripts/free-port.ts';
