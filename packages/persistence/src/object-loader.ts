import type { LoadableClass } from './savable.js';

/**
 * Names classes by stable identifiers and finds them again (plumpy's
 * `ObjectLoader`). A loader must never import or evaluate code because a bundle
 * or a message names it: it only returns classes it already knows.
 * The default is `ClassRegistry.default`.
 */
export interface ObjectLoader {
  /** The identifier under which `cls` is stored in bundles and tasks. */
  identify(cls: LoadableClass): string;
  /**
   * The class registered under `identifier`.
   * @throws UnknownClassError (a PersistenceError) when there is none.
   */
  load(identifier: string): LoadableClass;
}
