// A minimal CRI client for the recording: unary gRPC calls over containerd's unix socket with
// node:http2, and the two protobuf messages PullImage needs, encoded by hand (Debian 12 has no
// crictl). Field numbers as in the CRI api (runtime/v1/api.proto): PullImageRequest{image=1 ImageSpec,
// auth=2 AuthConfig}, ImageSpec{image=1}, AuthConfig{username=1, password=2}, PullImageResponse{image_ref=1}.
import { connect } from 'node:http2';
import { connect as netConnect } from 'node:net';

/** gRPC status code names (google.golang.org/grpc/codes), as `rpc error: code = X` prints them. */
export const GRPC_CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];

function varint(n) {
  const out = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field (wire type 2); empty values are left out as proto3 does. */
function field(number, bytes) {
  if (bytes.length === 0) return Buffer.alloc(0);
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}
const str = (number, s) => field(number, Buffer.from(s ?? '', 'utf8'));

export function pullImageRequest(image, auth) {
  const spec = str(1, image);
  const authConfig = auth ? Buffer.concat([str(1, auth.username), str(2, auth.password)]) : Buffer.alloc(0);
  return Buffer.concat([field(1, spec), field(2, authConfig)]);
}

/** The string fields of a flat message, by field number. */
function decodeStrings(buf) {
  const out = {};
  let i = 0;
  const readVarint = () => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = readVarint();
    const wire = key & 7;
    if (wire === 2) {
      const len = readVarint();
      out[key >>> 3] = buf.subarray(i, i + len).toString('utf8');
      i += len;
    } else if (wire === 0) readVarint();
    else break;
  }
  return out;
}

/** One unary call; resolves to { code, codeName, message, body }. */
export function unary(socket, path, message, timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const session = connect('http://localhost', { createConnection: () => netConnect(socket) });
    session.on('error', reject);
    const frame = Buffer.alloc(5);
    frame.writeUInt32BE(message.length, 1);
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks = [];
    let status;
    let grpcMessage = '';
    const take = (headers) => {
      if (headers['grpc-status'] !== undefined) status = Number(headers['grpc-status']);
      if (headers['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(headers['grpc-message']));
    };
    const timer = setTimeout(() => {
      req.close();
      session.close();
      reject(new Error(`${path}: no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('response', take);
    req.on('trailers', take);
    req.on('data', (c) => chunks.push(c));
    req.on('error', (e) => {
      clearTimeout(timer);
      session.close();
      reject(e);
    });
    req.on('end', () => {
      clearTimeout(timer);
      session.close();
      const data = Buffer.concat(chunks);
      const body = data.length >= 5 ? data.subarray(5, 5 + data.readUInt32BE(1)) : Buffer.alloc(0);
      const code = status ?? 2;
      resolve({ code, codeName: GRPC_CODES[code] ?? String(code), message: grpcMessage, body });
    });
    req.end(Buffer.concat([frame, message]));
  });
}

export async function pullImage(socket, image, auth) {
  const r = await unary(socket, '/runtime.v1.ImageService/PullImage', pullImageRequest(image, auth));
  return { code: r.codeName, message: r.message, imageRef: r.code === 0 ? (decodeStrings(r.body)[1] ?? '') : null };
}

/** Waits until the CRI image service answers (the CRI plugin starts after the socket appears). */
export async function waitReady(socket, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try {
      const r = await unary(socket, '/runtime.v1.ImageService/ListImages', Buffer.alloc(0), 5000);
      if (r.code === 0) return;
      last = `${r.codeName}: ${r.message}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`CRI image service not ready: ${last}`);
}
