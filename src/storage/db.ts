/**
 * The studio's IndexedDB schema (idb): projects, versions, datasets, models and cached
 * results. One database per origin; every record type is listed here with its key.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PipelineDocument } from '../engine/document.ts';
import type { NodeStatus } from '../engine/runner.ts';
import type { DatasetFingerprint } from './fingerprint.ts';

/** Name of the studio's database. */
export const DB_NAME = 'insight-studio';

/** Schema version of the database (bump and add an upgrade step when stores change). */
export const DB_VERSION = 1;

/** A project: the current document, which files its nodes read, and bookkeeping. */
export interface ProjectRecord {
  /** Stable id (random, from crypto.randomUUID). */
  id: string;
  /** Display name (kept equal to document.name). */
  name: string;
  /** Creation time (ms since epoch). */
  createdAt: number;
  /** Time of the last save (ms since epoch). */
  updatedAt: number;
  /** Number of the newest version. */
  head: number;
  /** The document as of the newest version. */
  document: PipelineDocument;
  /** Files bound to nodes: node id → fingerprint (bytes live in `datasets` by SHA-256). */
  datasets: Record<string, DatasetFingerprint>;
  /** When the project was moved to the bin (null when live); purged later. */
  deletedAt: number | null;
}

/** Why a version was made. */
export type VersionReason = 'create' | 'save' | 'autosave' | 'rename' | 'restore' | 'import' | 'duplicate';

/** One saved version of a project. */
export interface VersionRecord {
  /** Owning project. */
  projectId: string;
  /** 1, 2, 3... within the project. */
  n: number;
  /** Save time (ms since epoch). */
  savedAt: number;
  /** Why it was saved. */
  reason: VersionReason;
  /** The document as saved. */
  document: PipelineDocument;
  /** File bindings as saved. */
  datasets: Record<string, DatasetFingerprint>;
}

/** A user's file, stored once per content (keyed by SHA-256). */
export interface DatasetRecord extends DatasetFingerprint {
  /** The bytes. */
  blob: Blob;
  /** When it was first stored. */
  addedAt: number;
}

/** A trained model's artifacts (TensorFlow.js ModelArtifacts, weights as one buffer). */
export interface ModelRecord {
  /** Owning project. */
  projectId: string;
  /** Model key within the project, e.g. the node id. */
  key: string;
  /** When it was saved. */
  savedAt: number;
  /** Model topology JSON (or null for weights-only). */
  modelTopology: object | ArrayBuffer | null;
  /** Weight manifest entries. */
  weightSpecs: unknown[];
  /** All weights, concatenated. */
  weightData: ArrayBuffer;
  /** Everything else of the artifacts (format, generatedBy, trainingConfig, userDefinedMetadata...). */
  extra: Record<string, unknown>;
}

/** A node's cached outputs, keyed by the engine's content hash. */
export interface ResultRecord {
  /** Owning project. */
  projectId: string;
  /** Node id. */
  nodeId: string;
  /** The engine's cache hash the outputs belong to. */
  hash: string;
  /** When stored. */
  savedAt: number;
  /** The node's status when computed. */
  status: NodeStatus;
  /** Outputs in structured-clonable form (see result-codec.ts). */
  outputs: Record<string, unknown>;
}

/** The idb schema. */
export interface StudioSchema extends DBSchema {
  projects: { key: string; value: ProjectRecord };
  versions: { key: [string, number]; value: VersionRecord; indexes: { byProject: string } };
  datasets: { key: string; value: DatasetRecord };
  models: { key: [string, string]; value: ModelRecord; indexes: { byProject: string } };
  results: { key: [string, string]; value: ResultRecord; indexes: { byProject: string } };
}

/** An open studio database. */
export type StudioDb = IDBPDatabase<StudioSchema>;

/** Opens (and creates or upgrades) the studio database. */
export function openStudioDb(name = DB_NAME): Promise<StudioDb> {
  return openDB<StudioSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Version steps run in order so a database from any earlier version catches up.
      if (oldVersion < 1) {
        db.createObjectStore('projects', { keyPath: 'id' });
        db.createObjectStore('versions', { keyPath: ['projectId', 'n'] }).createIndex('byProject', 'projectId');
        db.createObjectStore('datasets', { keyPath: 'sha256' });
        db.createObjectStore('models', { keyPath: ['projectId', 'key'] }).createIndex('byProject', 'projectId');
        db.createObjectStore('results', { keyPath: ['projectId', 'nodeId'] }).createIndex('byProject', 'projectId');
      }
    },
  });
}
