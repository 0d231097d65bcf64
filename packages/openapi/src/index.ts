export { contractRoutes } from "./contract-routes.ts";
export { openApiDocument, type ApiInfo } from "./document.ts";
export { documented, type Operation } from "./operation.ts";
export { readBody, type BodyKind } from "./request-body.ts";
export { errorResponse, type ErrorStatus } from "./responses.ts";
export { validate, validateBody, type Validated } from "./validate.ts";
export type { OpenAPIV3_1 } from "openapi-types";
export { currentRequestId, requestIdHeaders, requestIds } from "./request-context.ts";
