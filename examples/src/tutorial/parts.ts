/** The tutorial's parts in order, each a `main()` that prints what plumpy's tutorial prints. */
import { main as part01 } from './part01-simple-process.js';
import { main as part02 } from './part02-inputs-and-outputs.js';
import { main as part03 } from './part03-commands.js';
import { main as part04 } from './part04-listeners-and-wait.js';
import { main as part05 } from './part05-asynchronicity.js';
import { main as part06 } from './part06-pausing-and-playing.js';
import { main as part07 } from './part07-workchains.js';
import { main as part08 } from './part08-interstep-awaitables.js';
import { main as part09 } from './part09-persistence.js';
import { main as part10 } from './part10-communicators.js';

export interface TutorialPart {
  title: string;
  main: () => Promise<void>;
}

export const tutorialParts: readonly TutorialPart[] = [
  { title: '1. A simple process', main: part01 },
  { title: '2. Inputs and outputs', main: part02 },
  { title: '3. Commands: Continue and Kill', main: part03 },
  { title: '4. Listeners and Wait', main: part04 },
  { title: '5. Asynchronicity', main: part05 },
  { title: '6. Pausing and playing', main: part06 },
  { title: '7. WorkChains', main: part07 },
  { title: '8. Interstep awaitables', main: part08 },
  { title: '9. Persistence', main: part09 },
  { title: '10. Communicators and controllers', main: part10 },
];
