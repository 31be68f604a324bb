// The part of sql.js (SQLite compiled to WebAssembly) that the reference server uses; the package ships no types.
declare module 'sql.js' {
  export type SqlValue = number | string | Uint8Array | null;
  export type BindParams = readonly SqlValue[] | Record<string, SqlValue> | null;

  export interface QueryExecResult {
    readonly columns: string[];
    readonly values: SqlValue[][];
  }

  export interface Statement {
    bind(values?: BindParams): boolean;
    step(): boolean;
    get(params?: BindParams): SqlValue[];
    getAsObject(params?: BindParams): Record<string, SqlValue>;
    run(values?: BindParams): void;
    reset(): boolean;
    free(): boolean;
  }

  export interface Database {
    run(sql: string, params?: BindParams): Database;
    exec(sql: string, params?: BindParams): QueryExecResult[];
    prepare(sql: string, params?: BindParams): Statement;
    /** Serialises the whole database. It closes and reopens the connection: prepared statements are freed. */
    export(): Uint8Array;
    close(): void;
    getRowsModified(): number;
  }

  export interface SqlJsStatic {
    readonly Database: new (data?: ArrayLike<number> | Buffer | null) => Database;
  }

  export interface SqlJsConfig {
    locateFile?(file: string): string;
  }

  export default function initSqlJs(config?: SqlJsConfig): Promise<SqlJsStatic>;
}
