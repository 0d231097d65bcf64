export { ensurePrivateDir, ensurePrivateDirAsync, preparePrivateDatabaseFile, tightenDirIfPresent } from "./private-files.ts";
export { openSqlite } from "./sqlite.ts";
