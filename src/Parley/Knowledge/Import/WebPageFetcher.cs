using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Web;

namespace Parley.Knowledge.Import;

/// <summary>A fetched page: where it finally came from, what it was, a hash of its bytes and what it reads as.</summary>
public sealed record FetchedPage(Uri Url, string ContentType, string ContentHash, ImportedDocument Document);

/// <summary>
/// Fetches a tenant-given web page as knowledge, by the server, through <see cref="OutboundUrlGuard"/>: public
/// addresses only (unless allowed), every redirect hop re-checked and counted, one time limit for the whole
/// fetch, the body read only up to the size limit, and only pages, text, Markdown and PDF accepted.
/// </summary>
public sealed class WebPageFetcher(IHttpClientFactory clients, IOptions<KnowledgeLimits> limits, IOptions<OutboundUrlOptions> outbound)
{
    public const string HttpClientName = "knowledge-fetch";

    private static readonly HashSet<string> Readable = new(StringComparer.OrdinalIgnoreCase)
    {
        "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown", "application/pdf",
    };

    public static void AddTo(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, c =>
            {
                c.Timeout = Timeout.InfiniteTimeSpan; // the fetch's own deadline covers every hop
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Parley-Knowledge/1.0 (+https://github.com/parley)");
                c.DefaultRequestHeaders.Accept.ParseAdd("text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9, application/pdf;q=0.8");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundUrlGuard.CreateHandler(sp.GetRequiredService<IOptions<OutboundUrlOptions>>().Value.AllowPrivateUrls));
        services.AddScoped<WebPageFetcher>();
    }

    public async Task<ImportedDocument> FetchAsync(Uri url, CancellationToken cancellationToken) =>
        (await FetchPageAsync(url, cancellationToken)).Document;

    public async Task<FetchedPage> FetchPageAsync(Uri url, CancellationToken cancellationToken)
    {
        var limit = limits.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit.FetchTimeout);
        try
        {
            var (final, response) = await GetFollowingRedirectsAsync(url, limit.MaxRedirects, deadline.Token);
            using (response)
            {
                var contentType = DocumentReader.MediaType(response.Content.Headers.ContentType?.ToString()) ?? "";
                if (!Readable.Contains(contentType))
                {
                    throw new KnowledgeImportException(
                        $"{final} is {(contentType.Length == 0 ? "of no stated type" : contentType)}; knowledge can be read from web pages, text, Markdown and PDF.",
                        KnowledgeImportFailure.Unsupported);
                }

                var name = Name(final);
                if (response.Content.Headers.ContentLength > limit.MaxDocumentBytes)
                {
                    throw DocumentReader.TooLarge(name, limit.MaxDocumentBytes);
                }

                var bytes = await ReadLimitedAsync(response.Content, limit.MaxDocumentBytes, name, deadline.Token);
                var format = DocumentReader.FormatOf(null, contentType)!.Value;
                var document = DocumentReader.Read(name, format, bytes, limit);
                return new FetchedPage(final, contentType, Convert.ToHexStringLower(SHA256.HashData(bytes)), document);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KnowledgeImportException($"{url} did not answer within {limit.FetchTimeout.TotalSeconds:0.#} seconds.", KnowledgeImportFailure.Unreachable);
        }
        catch (OutboundUrlRefusedException refused)
        {
            throw new KnowledgeImportException(refused.Message, KnowledgeImportFailure.Unreachable, refused);
        }
        catch (HttpRequestException ex) when (ex.InnerException is OutboundUrlRefusedException refused)
        {
            throw new KnowledgeImportException(refused.Message, KnowledgeImportFailure.Unreachable, refused);
        }
        catch (HttpRequestException ex)
        {
            throw new KnowledgeImportException($"{url} could not be reached: {Reason(ex)}", KnowledgeImportFailure.Unreachable, ex);
        }
    }

    private async Task<(Uri Url, HttpResponseMessage Response)> GetFollowingRedirectsAsync(Uri url, int maxRedirects, CancellationToken cancellationToken)
    {
        var allowPrivate = outbound.Value.AllowPrivateUrls;
        var client = clients.CreateClient(HttpClientName);
        for (var hop = 0; ; hop++)
        {
            OutboundUrlGuard.CheckUrl(url, allowPrivate);
            var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= maxRedirects)
                {
                    throw new KnowledgeImportException($"{url} redirects more than {maxRedirects} times.", KnowledgeImportFailure.Unreachable);
                }

                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = response.StatusCode;
                response.Dispose();
                throw new KnowledgeImportException($"{url} answered {(int)status} {ReasonPhrase(status)}.", KnowledgeImportFailure.Unreachable);
            }

            return (url, response);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, long maxBytes, string name, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw DocumentReader.TooLarge(name, maxBytes); // stop here; the rest is never downloaded
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A readable name for messages and an untitled page's title: host and path.</summary>
    private static string Name(Uri url) => (url.Host + url.AbsolutePath).TrimEnd('/');

    private static string ReasonPhrase(HttpStatusCode status) =>
        System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " ");

    private static string Reason(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "its host name was not found.",
        HttpRequestError.ConnectionError => "the connection was refused or failed.",
        HttpRequestError.SecureConnectionError => "its TLS certificate or connection is not valid.",
        _ => ex.Message,
    };
}
