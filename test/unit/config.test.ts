import { ConfigError, loadConfig } from '../../lib/config';

describe('config', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8080);
    expect(c.temporal.externalAddress).toBeUndefined();
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.temporal.uiUrl).toBe('http://localhost:8233');
    expect(c.temporal.dbFile).toMatch(/data\/temporal\/temporal\.sqlite$/);
    expect(c.storage.kind).toBe('local');
    expect(c.http.maxUploadBytes).toBe(2048 * 1024 * 1024);
  });

  it('uses an external Temporal server when TEMPORAL_ADDRESS is set', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' });
    expect(c.temporal.externalAddress).toBe('temporal.internal:7233');
    expect(c.temporal.address).toBe('temporal.internal:7233');
    expect(c.temporal.uiUrl).toBeUndefined();
  });

  it('switches to MinIO by configuration alone', () => {
    const c = loadConfig({ VOXFLOW_STORAGE: 'minio', MINIO_ENDPOINT: 's3.local', MINIO_PORT: '9100', MINIO_USE_SSL: 'true' });
    expect(c.storage).toMatchObject({ kind: 'minio', endPoint: 's3.local', port: 9100, useSSL: true, bucket: 'voxflow' });
  });

  it('Whisper beam width: 1 (greedy) by default, 5 on request, 0 and fractions rejected', () => {
    expect(loadConfig({}).inference.whisperBeamSize).toBe(1);
    expect(loadConfig({ VOXFLOW_WHISPER_BEAM_SIZE: '5' }).inference.whisperBeamSize).toBe(5);
    expect(() => loadConfig({ VOXFLOW_WHISPER_BEAM_SIZE: '0' })).toThrow(/VOXFLOW_WHISPER_BEAM_SIZE/);
    expect(() => loadConfig({ VOXFLOW_WHISPER_BEAM_SIZE: '2.5' })).toThrow(/VOXFLOW_WHISPER_BEAM_SIZE/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ VOXFLOW_PORT: '' }).http.port).toBe(8080);
  });

  it('rejects invalid values naming every bad key', () => {
    expect(() => loadConfig({ VOXFLOW_PORT: 'eighty', VOXFLOW_STORAGE: 's3', VOXFLOW_GPU_CONCURRENCY: '0' })).toThrow(ConfigError);
    try {
      loadConfig({ VOXFLOW_PORT: 'eighty', VOXFLOW_STORAGE: 's3' });
    } catch (err) {
      expect((err as Error).message).toContain('VOXFLOW_PORT');
      expect((err as Error).message).toContain('VOXFLOW_STORAGE');
    }
  });
});
