import type { Bundle } from '@plumpy-ts/persistence';

/** What a process's checkpoint says about its state, read from the saved data without recreating it. */
export interface SavedProcessSummary {
  /** The state label (`'created'`, `'running'`, `'waiting'`, `'finished'`, `'excepted'`, `'killed'`), if readable. */
  readonly label: string | undefined;
  /** Whether it was saved paused. */
  readonly paused: boolean;
  /** Its status message when saved, if any. */
  readonly status: string | undefined;
}

const TERMINAL_LABELS: ReadonlySet<string> = new Set(['finished', 'excepted', 'killed']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the state label, paused flag and status from a process's bundle. */
export function summarizeSavedProcess(bundle: Bundle): SavedProcessSummary {
  const saved: unknown = bundle.state;
  const fields = isRecord(saved) ? saved : {};
  const state = fields.state;
  const label = isRecord(state) && typeof state.label === 'string' ? state.label : undefined;
  return {
    label,
    paused: fields.paused === true,
    status: typeof fields.status === 'string' ? fields.status : undefined,
  };
}

/** Whether a state label is terminal. */
export function isTerminalLabel(label: string | undefined): boolean {
  return label !== undefined && TERMINAL_LABELS.has(label);
}
