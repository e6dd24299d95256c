using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Parley.Web;

namespace Parley.Booking;

/// <summary>Where and as whom to reach one calendar. Not a record: its password must never be printed.</summary>
public sealed class CalDavAccount(Uri collection, string username, string password)
{
    public Uri Collection { get; } = collection.AbsoluteUri.EndsWith('/') ? collection : new Uri(collection.AbsoluteUri + "/");

    public string Username { get; } = username;

    internal AuthenticationHeaderValue Authorization { get; } =
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    public override string ToString() => Collection.AbsoluteUri;
}

/// <summary>A calendar object resource: its address, ETag and iCalendar text.</summary>
public sealed record CalDavObject(Uri Href, string? ETag, string Ics);

/// <summary>The server said something Parley can tell the tenant in plain words (bad credentials, not a calendar…).</summary>
public sealed class CalDavException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// CalDAV (RFC 4791) over HttpClient: PROPFIND to check that an address is a calendar, REPORT calendar-query with
/// a time range for busy times, PUT and DELETE of one event's .ics guarded by ETags. Every connection goes
/// through <see cref="OutboundUrlGuard"/>; redirects are not followed (the tenant is told the address to use).
/// </summary>
public sealed class CalDavClient(HttpClient http, IOptions<OutboundUrlOptions> urls)
{
    public const string HttpClientName = "caldav";

    private static readonly XNamespace Dav = "DAV:";
    private static readonly XNamespace CalDav = "urn:ietf:params:xml:ns:caldav";

    /// <summary>Throws <see cref="CalDavException"/> unless the address answers, the credentials work and it is a calendar.</summary>
    public async Task CheckAsync(CalDavAccount account, CancellationToken cancellationToken)
    {
        const string body = """<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>""";
        using var response = await SendAsync(account, new HttpMethod("PROPFIND"), account.Collection, body, "0", cancellationToken);
        var xml = await ReadMultistatusAsync(response, cancellationToken);
        var isCalendar = xml.Descendants(Dav + "resourcetype").Any(r => r.Element(CalDav + "calendar") is not null);
        if (!isCalendar)
        {
            throw new CalDavException("That address is not a calendar: the server does not call it a CalDAV calendar collection. Use the address of one calendar (see the README for where each provider shows it).");
        }
    }

    /// <summary>The calendar's events that overlap the range (recurring ones whole: the caller expands them).</summary>
    public async Task<IReadOnlyList<CalDavObject>> EventsAsync(CalDavAccount account, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var body = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
              <d:prop><d:getetag/><c:calendar-data/></d:prop>
              <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">
                <c:time-range start="{Stamp(fromUtc)}" end="{Stamp(toUtc)}"/>
              </c:comp-filter></c:comp-filter></c:filter>
            </c:calendar-query>
            """;
        using var response = await SendAsync(account, new HttpMethod("REPORT"), account.Collection, body, "1", cancellationToken);
        var xml = await ReadMultistatusAsync(response, cancellationToken);
        return [.. xml.Descendants(Dav + "response").Select(r => Object(account, r)).OfType<CalDavObject>()];
    }

    /// <summary>One event by its address, or null when it is gone.</summary>
    public async Task<CalDavObject?> GetAsync(CalDavAccount account, Uri href, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(account, HttpMethod.Get, href, null, null, cancellationToken, allowNotFound: true);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return new CalDavObject(href, response.Headers.ETag?.ToString(), await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Creates (etag null: only if nothing is there) or replaces (only if unchanged since <paramref name="etag"/>)
    /// an event; returns its new ETag, or null when the server sent none. A changed or taken resource throws with 412.</summary>
    public async Task<string?> PutAsync(CalDavAccount account, Uri href, string ics, string? etag, CancellationToken cancellationToken)
    {
        using var request = Request(account, HttpMethod.Put, href, null, null);
        request.Content = new StringContent(ics, Encoding.UTF8, "text/calendar");
        if (etag is null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await SendAsync(request, cancellationToken);
        return response.Headers.ETag?.ToString();
    }

    /// <summary>Deletes an event if it is unchanged since <paramref name="etag"/>; an event already gone is fine.</summary>
    public async Task DeleteAsync(CalDavAccount account, Uri href, string? etag, CancellationToken cancellationToken)
    {
        using var request = Request(account, HttpMethod.Delete, href, null, null);
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await SendAsync(request, cancellationToken, allowNotFound: true);
    }

    public Uri HrefFor(CalDavAccount account, string uid) => new(account.Collection, Uri.EscapeDataString(uid) + ".ics");

    private static string Stamp(DateTime utc) => utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static CalDavObject? Object(CalDavAccount account, XElement response)
    {
        var href = response.Element(Dav + "href")?.Value;
        var data = response.Descendants(CalDav + "calendar-data").FirstOrDefault()?.Value;
        if (href is null || string.IsNullOrWhiteSpace(data))
        {
            return null;
        }

        var etag = response.Descendants(Dav + "getetag").FirstOrDefault()?.Value;
        return new CalDavObject(new Uri(account.Collection, href), etag, data);
    }

    private HttpRequestMessage Request(CalDavAccount account, HttpMethod method, Uri url, string? xml, string? depth)
    {
        try
        {
            OutboundUrlGuard.CheckUrl(url, urls.Value.AllowPrivateUrls);
        }
        catch (OutboundUrlRefusedException ex)
        {
            throw new CalDavException(ex.Message);
        }

        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = account.Authorization;
        if (depth is not null)
        {
            request.Headers.Add("Depth", depth);
        }

        if (xml is not null)
        {
            request.Content = new StringContent(xml, Encoding.UTF8, "application/xml");
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(CalDavAccount account, HttpMethod method, Uri url, string? xml, string? depth, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        using var request = Request(account, method, url, xml, depth);
        return await SendAsync(request, cancellationToken, allowNotFound);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendOnceOrAgainAsync(request, cancellationToken);
        }
        catch (OutboundUrlRefusedException ex)
        {
            throw new CalDavException(ex.Message);
        }
        catch (HttpRequestException ex) when (ex.InnerException is OutboundUrlRefusedException refused)
        {
            throw new CalDavException(refused.Message);
        }
        catch (HttpRequestException)
        {
            throw new CalDavException($"The calendar server at {request.RequestUri!.Host} could not be reached.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CalDavException($"The calendar server at {request.RequestUri!.Host} did not answer in time.");
        }

        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        var status = response.StatusCode;
        var location = response.Headers.Location;
        response.Dispose();
        throw status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CalDavException("The calendar server refused the user name or password (for Google and iCloud use an app password).", status),
            HttpStatusCode.NotFound => new CalDavException("There is no calendar at that address (the server answered 404).", status),
            HttpStatusCode.PreconditionFailed => new CalDavException("The event changed on the calendar meanwhile.", status),
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest => new CalDavException($"The server redirects that address{(location is null ? "" : $" to {location}")}; use the calendar's own address.", status),
            _ => new CalDavException($"The calendar server answered {(int)status} {status}.", status),
        };
    }

    /// <summary>A server that closed a kept-alive connection fails the next request before it is read; every CalDAV
    /// request here is safe to send again (a PUT carries If-None-Match or If-Match), so it is, once.</summary>
    private async Task<HttpResponseMessage> SendOnceOrAgainAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var mediaType = request.Content?.Headers.ContentType?.MediaType;
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is not OutboundUrlRefusedException)
        {
            using var again = new HttpRequestMessage(request.Method, request.RequestUri);
            foreach (var header in request.Headers)
            {
                again.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (body is not null)
            {
                again.Content = new StringContent(body, Encoding.UTF8, mediaType ?? "application/xml");
            }

            return await http.SendAsync(again, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
    }

    private static async Task<XDocument> ReadMultistatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.MultiStatus)
        {
            throw new CalDavException("That address is not a calendar: the server does not speak CalDAV there.");
        }

        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await XDocument.LoadAsync(stream, LoadOptions.None, cancellationToken);
        }
        catch (System.Xml.XmlException)
        {
            throw new CalDavException("The calendar server's answer was not valid CalDAV XML.");
        }
    }
}
