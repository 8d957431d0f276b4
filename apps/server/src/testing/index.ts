export { sampleStudy } from "./sample-study.js";
export {
  describeOnEachDatabase,
  openTestDatabase,
  realPostgresSkipReason,
  type TestDatabase,
  type TestDatabaseKind,
} from "./test-databases.js";
