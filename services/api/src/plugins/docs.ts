import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { partnerWebhooks } from "../webhook-docs.ts";

/** The OpenAPI 3 document, generated from the routes' schemas, at /docs/json; Swagger UI at /docs. */
export const docsPlugin = fp(
  async (app: FastifyInstance, options: { publicBaseUrl: string }) => {
    await app.register(swagger, {
      openapi: {
        // 3.1 for its `webhooks` section: what partners receive is part of the interface too.
        openapi: "3.1.0",
        info: {
          title: "Babelwire API",
          version: "0.1.0",
          description:
            "Agency wire in, every language out: feeds for partners, review for editors, control for operators.",
        },
        servers: [{ url: options.publicBaseUrl }],
        // What Babelwire POSTs to partners (OpenAPI 3.1's field; 3.0 tools ignore it).
        webhooks: partnerWebhooks,
        components: {
          securitySchemes: {
            bearer: { type: "http", scheme: "bearer" },
            queryToken: { type: "apiKey", in: "query", name: "token" },
          },
        },
        tags: [
          { name: "partners", description: "Published content for partner outlets" },
          { name: "editors", description: "Review and approval" },
          { name: "operators", description: "Sources, tokens, queues and health" },
        ],
      },
      // Each secured operation names the roles it admits (`x-roles`), so clients and the
      // security suite read them from the document rather than from a list kept by hand.
      transform: ({ schema, url, route }) => {
        const roles = route.config?.roles;
        if (!roles || !schema) return { schema, url };
        const description = [schema.description, `Roles: ${roles.join(", ")} (admin may do everything).`]
          .filter(Boolean)
          .join("\n\n");
        return { schema: { ...schema, description, "x-roles": roles }, url };
      },
    });
    await app.register(swaggerUi, { routePrefix: "/docs" });
  },
  { name: "babelwire-docs" },
);
