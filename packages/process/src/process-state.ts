/**
 * The states a {@link Process} can be in. CREATED, RUNNING and WAITING are
 * active; FINISHED, EXCEPTED and KILLED are terminal. Being paused is a flag,
 * not a state.
 */
export const ProcessState = {
  CREATED: 'created',
  RUNNING: 'running',
  WAITING: 'waiting',
  FINISHED: 'finished',
  EXCEPTED: 'excepted',
  KILLED: 'killed',
} as const;

/** One of the {@link ProcessState} labels: `'created' | 'running' | ...`. */
export type ProcessState = (typeof ProcessState)[keyof typeof ProcessState];
