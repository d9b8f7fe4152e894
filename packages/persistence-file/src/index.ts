export { FilePersister, type FilePersisterOptions } from './file-persister.js';
