// The upstream docs' Node example (../shared/clients/example.js) rewritten with the voxflow SDK:
// no `form-data` package (whose stream Node's built-in fetch sends as "[object FormData]"); the
// file is streamed from disk through native FormData + fs.openAsBlob.
// The original asks for model=large-v3-turbo; this one leaves the model to the server (set
// VOXFLOW_MODEL to ask for one) and prints which model ran, since a model that is not installed is
// an honest 400.
const { Client } = require("voxflow");

const client = new Client({
  apiKey: process.env.VOXFLOW_KEY || "YOUR_API_KEY",
  baseUrl: process.env.VOXFLOW_URL || "http://localhost:8080",
});

async function transcribe(filePath) {
  const result = await client.transcribe(filePath, {
    model: process.env.VOXFLOW_MODEL || undefined,
    language: "auto",
    diarize: true,
  });
  console.log(`Duration: ${result.duration.toFixed(1)}s (model ${result.model})`);

  for (const seg of result.segments) {
    console.log(`[${seg.start.toFixed(1)}s] ${seg.speaker}: ${seg.text}`);
  }
  return result;
}

transcribe("meeting.mp3").catch((err) => {
  console.error(`${err.name}: ${err.message}`);
  process.exit(1);
});
