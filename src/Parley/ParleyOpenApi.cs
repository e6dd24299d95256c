using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Parley.Accounts;
using Scalar.AspNetCore;

namespace Parley;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and its Scalar reference at <c>/docs</c>.</summary>
public static class ParleyOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string BearerScheme = "Bearer";

    public static void AddParleyOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Parley API",
                Version = "v1",
                Description = "Multi-tenant AI SMS agent. Every /api route takes a tenant API key as a bearer token; /api/admin takes the admin key.",
            };
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A tenant API key (or the admin key for /api/admin).",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }

            return Task.CompletedTask;
        });
    });

    public static void MapParleyOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Parley API").WithOpenApiRoutePattern(DocumentPath)).AllowAnonymous();
    }
}
