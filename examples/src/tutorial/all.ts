/** Runs the whole tutorial (`npm start` at the repository root). */
import { tutorialParts } from './parts.js';

for (const part of tutorialParts) {
  console.log(`\n## ${part.title}\n`);
  await part.main();
}
