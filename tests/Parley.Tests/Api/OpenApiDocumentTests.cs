using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Api;

/// <summary>
/// The published contract: <c>/openapi/v1.json</c> parses as OpenAPI, lists every /api route with a name, a
/// summary and the bearer scheme, and equals the copy checked in at docs/openapi/v1.json. After changing a
/// route, regenerate that copy with <c>.ci/update-openapi</c> (PARLEY_UPDATE_OPENAPI=1 on this test class).
/// </summary>
public sealed partial class OpenApiDocumentTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task The_document_parses_as_OpenAPI_without_errors()
    {
        var json = await app.CreateClient().GetStringAsync("/openapi/v1.json");

        var result = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());

        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Equal("Parley API", result.Document.Info.Title);
        Assert.Contains(ParleyOpenApi.BearerScheme, result.Document.Components!.SecuritySchemes!.Keys);
    }

    [Fact]
    public async Task Every_api_route_is_named_summarised_authorised_and_documented_with_the_bearer_scheme()
    {
        var document = OpenApiDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"), OpenApiConstants.Json, new OpenApiReaderSettings()).Document!;
        var routes = ApiRoutes().ToList();
        Assert.NotEmpty(routes);

        var problems = new List<string>();
        foreach (var (endpoint, method, path) in routes)
        {
            var where = $"{method} {path}";
            var metadata = endpoint.Metadata;
            if (metadata.GetMetadata<IEndpointNameMetadata>() is null)
            {
                problems.Add($"{where} has no .WithName");
            }

            if (metadata.GetMetadata<IEndpointSummaryMetadata>() is null)
            {
                problems.Add($"{where} has no .WithSummary");
            }

            if (metadata.GetMetadata<IAuthorizeData>() is null || metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                problems.Add($"{where} is not behind authorisation");
            }

            var operation = document.Paths.TryGetValue(path, out var item) && item.Operations is { } operations
                ? operations.FirstOrDefault(o => o.Key.Method.Equals(method, StringComparison.OrdinalIgnoreCase)).Value
                : null;
            if (operation is null)
            {
                problems.Add($"{where} is missing from the document");
            }
            else if (operation.Security is not { Count: > 0 } || string.IsNullOrEmpty(operation.OperationId) || string.IsNullOrEmpty(operation.Summary))
            {
                problems.Add($"{where} lacks an operationId, a summary or the bearer requirement in the document");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_reference_page_renders_at_docs()
    {
        var response = await app.CreateClient().GetAsync("/docs/");

        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Parley API</title>", html);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html); // resolved against the app's base, not /docs
        (await app.CreateClient().GetAsync("/docs/scalar.js")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_checked_in_document_matches_the_one_the_app_serves()
    {
        var served = Normalise(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var file = Path.Combine(RepositoryRoot(), "docs", "openapi", "v1.json");
        if (Environment.GetEnvironmentVariable("PARLEY_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(file, served);
        }

        Assert.True(File.Exists(file), $"{file} is missing; run .ci/update-openapi");
        Assert.True(Normalise(await File.ReadAllTextAsync(file)) == served,
            "docs/openapi/v1.json differs from the document the app serves; run .ci/update-openapi and commit the result.");
    }

    private IEnumerable<(RouteEndpoint Endpoint, string Method, string Path)> ApiRoutes()
    {
        var sources = app.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal) && pattern != "/api")
            {
                continue;
            }

            var path = Constraint().Replace(pattern.TrimEnd('/'), "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                yield return (endpoint, method, path);
            }
        }
    }

    private static string Normalise(string json) => json.ReplaceLineEndings("\n").TrimEnd() + "\n";

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Parley.slnx not found above the test output.");
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
