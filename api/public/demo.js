// voxflow live transcription demo: microphone → 16 kHz Int16 PCM frames → WS /v1/stream (the contract's protocol,
// as in the documented browser example), partial text shown as it stabilises, final segments appended.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  if (params.get('token')) $('token').value = params.get('token');
  if (params.get('language')) $('language').value = params.get('language');
  let ws, ctx, source, processor, stream;

  function setStatus(s) { $('status').textContent = s; }

  function wsUrl() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = $('token').value.trim();
    return `${proto}//${location.host}/v1/stream` + (token ? `?token=${encodeURIComponent(token)}` : '');
  }

  async function start() {
    $('start').disabled = true;
    ws = new WebSocket(wsUrl());
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => ws.send(JSON.stringify({ language: $('language').value, model: 'large-v3-turbo' }));
    ws.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.status === 'ready') {
        setStatus(`listening (model ${data.model})`);
        startAudio().catch((e) => setStatus(`microphone: ${e.message}`));
        $('stop').disabled = false;
      } else if (data.status === 'behind') {
        setStatus(`server is behind: partials every ${data.partial_interval_s} s`);
      }
      if (typeof data.partial === 'string') {
        $('stable').textContent = data.partial;
        $('unstable').textContent = data.unstable || '';
      }
      if (typeof data.text === 'string') {
        const p = document.createElement('p');
        p.textContent = data.text;
        $('final').appendChild(p);
        $('stable').textContent = '';
        $('unstable').textContent = '';
      }
      if (data.error) setStatus(`error: ${data.error}`);
      if (data.is_final) setStatus('done');
    };
    ws.onclose = (e) => {
      stopAudio();
      if (e.code !== 1000 && !$('status').textContent.startsWith('error')) setStatus(`closed (${e.code})`);
      $('start').disabled = false;
      $('stop').disabled = true;
    };
  }

  async function startAudio() {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false } });
    ctx = new AudioContext({ sampleRate: 16000 });
    source = ctx.createMediaStreamSource(stream);
    processor = ctx.createScriptProcessor(4096, 1, 1);
    processor.onaudioprocess = (e) => {
      const f = e.inputBuffer.getChannelData(0);
      const pcm = new Int16Array(f.length);
      for (let i = 0; i < f.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(f[i] * 32767)));
      if (ws && ws.readyState === 1) ws.send(pcm.buffer);
    };
    source.connect(processor);
    processor.connect(ctx.destination);
  }

  function stopAudio() {
    if (processor) processor.disconnect();
    if (source) source.disconnect();
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (ctx) ctx.close();
    processor = source = stream = ctx = undefined;
  }

  function stop() {
    stopAudio();
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ action: 'stop' }));
    setStatus('finishing…');
    $('stop').disabled = true;
  }

  $('start').addEventListener('click', start);
  $('stop').addEventListener('click', stop);
})();
