/**
 * Training-dataset generation (Node only: fs, worker_threads). Import from `cmxrf/dataset`.
 * @module dataset
 */
export { generateDataset, DATASET_FORMAT_VERSION } from './generate.js';
export type { DatasetManifest, DatasetProgress, GenerateDatasetOptions } from './generate.js';
export { MODEL_GRID, modelCalibration, modelDepthsUm } from './grid.js';
export { npyHeader, readNpyHeader } from './npy.js';
export type { NpyHeader } from './npy.js';
export { generateSample, N_LABELS, PROFILE_SIZE } from './sample.js';
export type { SampleExtras, SampleRecord } from './sample.js';
export { parseReferenceCompositions } from './compositions.js';
export type { ReferenceComposition, ReferenceCompositionSet } from './compositions.js';
export { DEFAULT_INSTRUMENT_BLOCK_SIZE } from './instrumentSource.js';
export type { ProfileInstrumentRecord } from './instrumentSource.js';
export { shardFiles, verifyShard } from './shard.js';
export type { ShardRecord } from './shard.js';
