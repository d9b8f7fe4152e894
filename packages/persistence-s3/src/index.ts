export { S3Persister, type S3PersisterOptions } from './s3-persister.js';
