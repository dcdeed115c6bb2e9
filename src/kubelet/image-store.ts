/**
 * The node's image store for one scenario: what the kubelet's presence check (CRI ImageStatus)
 * finds. A successful pull stores the image under the name the kubelet asked for (with the
 * default tag applied), so later pulls of that name on this node see it.
 */
export interface StoredImage {
  /** Registry handle that served it. */
  from: string | null;
  digest: string;
  size: number;
}

export class ImageStore {
  private readonly images = new Map<string, StoredImage>();

  get(name: string): StoredImage | undefined {
    return this.images.get(name);
  }

  add(name: string, image: StoredImage): void {
    this.images.set(name, image);
  }
}
