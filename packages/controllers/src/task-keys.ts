/**
 * The keys and values of task bodies, as in plumpy's `process_comms`
 * (`{ task: 'launch' | 'continue' | 'create', args: { ... } }`).
 */

/** The key naming the kind of task. */
export const TASK_KEY = 'task';
/** The key of the task's arguments. */
export const TASK_ARGS = 'args';
/** Whether the launcher checkpoints the process (launch, create). */
export const PERSIST_KEY = 'persist';
/** The identifier of the process class, as its `ObjectLoader` names it (launch, create). */
export const PROCESS_CLASS_KEY = 'process_class';
/** Positional constructor arguments (plumpy's; must be empty or absent here). */
export const ARGS_KEY = 'init_args';
/** The constructor options: `{ inputs?, pid? }` (launch, create). */
export const KWARGS_KEY = 'init_kwargs';
/** Answer with the pid at once instead of the outputs at the end (launch, continue). */
export const NOWAIT_KEY = 'nowait';
/** The pid of the process to continue. */
export const PID_KEY = 'pid';
/** The checkpoint tag to continue from (`null`: the untagged checkpoint). */
export const TAG_KEY = 'tag';

/** Launch a new process (and by default wait for its outputs). */
export const LAUNCH_TASK = 'launch';
/** Continue a process from its checkpoint. */
export const CONTINUE_TASK = 'continue';
/** Create (and checkpoint) a process without running it; answers its pid. */
export const CREATE_TASK = 'create';
