import { decodePathSegment, encodePathSegment } from '@plumpy-ts/persistence';

/** The parts of a checkpoint file name: `<name>.r<revision>.json`. */
export interface CheckpointFileName {
  /** The tag; `undefined` for the untagged checkpoint. */
  readonly tag: string | undefined;
  /** The checkpoint revision. */
  readonly revision: number;
}

const UNTAGGED = 'untagged';
const TAG_PREFIX = 'tag-';
const pattern = /^(untagged|tag-[A-Za-z0-9_%-]*)\.r(\d+)\.json$/;

/** The revision-free stem of a checkpoint's file name: `untagged` or `tag-<encoded tag>`. */
export function checkpointStem(tag: string | undefined): string {
  return tag === undefined ? UNTAGGED : TAG_PREFIX + (tag === '' ? '' : encodePathSegment(tag));
}

/** The file name of a checkpoint revision. */
export function checkpointFileName(tag: string | undefined, revision: number): string {
  return `${checkpointStem(tag)}.r${revision}.json`;
}

/** The stem and revision of a checkpoint file name, or `undefined` for any other file. */
export function parseCheckpointFileName(fileName: string): { stem: string; revision: number } | undefined {
  const match = pattern.exec(fileName);
  if (match === null) return undefined;
  return { stem: match[1] as string, revision: Number(match[2]) };
}

/** The tag a stem stands for, or `null` if the stem is malformed. */
export function tagOfStem(stem: string): string | undefined | null {
  if (stem === UNTAGGED) return undefined;
  const encoded = stem.slice(TAG_PREFIX.length);
  if (encoded === '') return '';
  try {
    return decodePathSegment(encoded);
  } catch {
    return null;
  }
}
