/**
 * How copy.Image words each stage's failure (skopeo copy and podman pull print these), and how
 * CRI-O's PrepareImage words them (it opens the source itself, so no "initializing source").
 */
import { StackError, text, RuntimeError } from '../errors/index.js';
import { familiarString, type ImageRef } from '../reference/reference.js';
import type { CopyFailure } from '../pull/copy-image.js';

function imageName(ref: ImageRef): string {
  return `docker://${familiarString(ref)}`;
}

function wrapped(code: Parameters<typeof text>[0], inner: StackError, ...args: unknown[]): StackError {
  return new RuntimeError(code, text(code, ...args, inner.message), inner);
}

/** The stages after the source is open read the same whichever way it was opened. */
function afterSourceError(f: CopyFailure): StackError {
  switch (f.stage) {
    case 'policy':
      return wrapped('policy.rejected', f.error);
    case 'blobs':
      return wrapped('copy.writing-blob', f.error);
    default:
      return f.error;
  }
}

export function copyImageError(f: CopyFailure, ref: ImageRef): StackError {
  switch (f.stage) {
    case 'source':
      return wrapped('docker.initializing-source', f.error, imageName(ref));
    case 'choose-instance':
      return wrapped('docker.choosing-instance', f.error, imageName(ref));
    default:
      return afterSourceError(f);
  }
}

/** CRI-O ≤1.30 calls PrepareImage (ref.NewImage) first: the source error comes back as newImageSource returned it. */
export function prepareImageError(f: CopyFailure): StackError {
  switch (f.stage) {
    case 'source':
      return f.error;
    case 'choose-instance':
      return wrapped('image.choosing-instance', f.error);
    default:
      return afterSourceError(f);
  }
}
