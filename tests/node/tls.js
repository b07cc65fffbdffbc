// Node.js 18's tls and https modules (Debian's libnode108, linked against libssl.so.3) as
// clients and servers on 127.0.0.1, printing a transcript that the test suite requires to
// be the same on the system OpenSSL and on ferrossl; the last line names the libssl the
// process mapped.
//
//   node tls.js PKI_DIR
'use strict';
const fs = require('fs');
const https = require('https');
const path = require('path');
const tls = require('tls');

const pki = (name) => fs.readFileSync(path.join(process.argv[2], name));
const ca = pki('ca.pem');
const rsa = { cert: pki('server-rsa-chain.pem'), key: pki('server-rsa-key.pem') };
const ecdsa = tls.createSecureContext({ cert: pki('server-ecdsa.pem'), key: pki('server-ecdsa-key.pem') });

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

function get(port, options) {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', ...options }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    });
    req.on('error', (e) => resolve(`error ${e.code}`));
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
  });
}

function connect(port, options) {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, ...options }, () => {
      const cert = socket.getPeerCertificate();
      const line = `${socket.getProtocol()} ${socket.getCipher().name} alpn=${socket.alpnProtocol} ` +
        `peer=${cert && cert.subject ? cert.subject.CN : "(none)"} reused=${socket.isSessionReused()}`;
      socket.once('data', (d) => { resolve({ line: `${line} | ${d}`, session: socket.session }); socket.end(); });
      socket.write('hello\n');
    });
    socket.on('error', (e) => resolve({ line: `error ${e.code}` }));
    socket.setTimeout(10000, () => socket.destroy(new Error('timeout')));
  });
}

async function httpsClient() {
  const server = https.createServer(rsa, (req, res) => res.end(`hello over ${req.socket.getProtocol()}`));
  const port = await listen(server);
  const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 0 });
  console.log('https right CA:', await get(port, { ca, servername: 'localhost', agent }));
  console.log('https wrong CA:', await get(port, { ca: pki('other-ca.pem'), servername: 'localhost', agent }));
  console.log('https wrong name:', await get(port, { ca, servername: 'wrong.example', agent }));
  console.log('https no CA:', await get(port, { agent }));
  console.log('https TLS 1.2:', await get(port, { ca, servername: 'localhost', agent, maxVersion: 'TLSv1.2' }));
  server.close();
}

async function tlsServer() {
  const seen = [];
  const keylog = new Set();
  const server = tls.createServer({
    ...rsa,
    ca,
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ['h2', 'http/1.1'],
    SNICallback: (name, cb) => { seen.push(name); cb(null, name === 'ecdsa.test' ? ecdsa : null); },
  }, (socket) => {
    const peer = socket.getPeerCertificate();
    socket.on('data', () => socket.end(`server: ${socket.getProtocol()} sni=${socket.servername} ` +
      `client=${peer && peer.subject ? peer.subject.CN : '(none)'} authorized=${socket.authorized}`));
  });
  server.on('keylog', (line) => keylog.add(line.toString().split(' ')[0]));
  const port = await listen(server);
  const cases = [
    ['plain', { servername: 'localhost' }],
    ['ALPN http/1.1', { servername: 'localhost', ALPNProtocols: ['http/1.1'] }],
    ['SNI ecdsa.test', { servername: 'ecdsa.test', checkServerIdentity: () => undefined }],
    ['client certificate', { servername: 'localhost', cert: pki('client.pem'), key: pki('client-key.pem') }],
    ['TLS 1.2', { servername: 'localhost', maxVersion: 'TLSv1.2' }],
  ];
  for (const [label, options] of cases) {
    console.log(`tls ${label}:`, (await connect(port, options)).line);
  }
  console.log('SNI names seen by the server:', seen.join(', '));
  console.log('server key log labels:', [...keylog].sort().join(' '));
  server.close();
}

async function sessions() {
  const server = tls.createServer(rsa, (socket) => socket.on('data', () => socket.end('resumed?')));
  const port = await listen(server);
  for (const maxVersion of ['TLSv1.2', 'TLSv1.3']) {
    let session;
    const sessionEvent = new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost', maxVersion }, () => {
        socket.write('x');
      });
      socket.on('session', (s) => { session = s; });
      socket.on('data', () => socket.end());
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await sessionEvent;
    const again = await connect(port, { servername: 'localhost', maxVersion, session });
    console.log(`session ${maxVersion}: session event ${session ? 'seen' : 'missing'}, second connection ${again.line}`);
  }
  server.close();
}

async function clientKeylog() {
  const server = tls.createServer(rsa, (socket) => socket.on('data', () => socket.end('k')));
  const port = await listen(server);
  const labels = new Set();
  await new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => socket.write('x'));
    socket.on('keylog', (line) => labels.add(line.toString().split(' ')[0]));
    socket.on('data', () => socket.end());
    socket.on('close', resolve);
    socket.on('error', resolve);
  });
  console.log('client key log labels:', [...labels].sort().join(' '));
  server.close();
}

(async () => {
  await httpsClient();
  await tlsServer();
  await sessions();
  await clientKeylog();
  const maps = fs.readFileSync('/proc/self/maps', 'utf8').split('\n');
  const libs = new Set(maps.map((l) => l.split(/\s+/).pop()).filter((p) => /libssl\.so|libferrossl/.test(p)));
  console.log('libssl mapped:', [...libs].sort().join(' '));
})();
