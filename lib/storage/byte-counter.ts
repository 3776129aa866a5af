import { Transform, type TransformCallback } from 'node:stream';

/** A pass-through that counts bytes, so uploads know their size without buffering. */
export class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}
