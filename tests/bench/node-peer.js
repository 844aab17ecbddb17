// The peer: a plain Node.js server that reads the whole body and answers 200 (no storage).
const http = require('http');
const port = Number(process.argv[2] || 0);
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { Buffer.concat(chunks); res.writeHead(200, { 'Content-Length': '0' }); res.end(); });
}).listen(port, '127.0.0.1', function () { console.log('listening on ' + this.address().port); });
