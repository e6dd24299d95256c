using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Parley.Tests.Booking;

/// <summary>Debian's Radicale CalDAV server on 127.0.0.1 with a free port, a temporary storage folder and plain
/// htpasswd users; <c>.ci/run</c> installs it.</summary>
public sealed class RadicaleServer : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("parley-radicale-").FullName;
    private Process? process;

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static readonly (string User, string Password)[] Users = [("alice", "alice-pass-1"), ("bob", "bob-pass-2"), ("carol", "carol-pass-3")];

    public async Task InitializeAsync()
    {
        File.WriteAllLines(Path.Combine(folder, "users"), Users.Select(u => $"{u.User}:{u.Password}"));
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        // Radicale says on stderr, at info level, when it is serving; waiting for that line beats polling the port.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process = new Process
        {
            StartInfo = new ProcessStartInfo("radicale",
                ["--config", "", "--logging-level", "info", "--server-hosts", $"127.0.0.1:{Port}", "--storage-filesystem-folder", Path.Combine(folder, "store"),
                 "--auth-type", "htpasswd", "--auth-htpasswd-filename", Path.Combine(folder, "users"), "--auth-htpasswd-encryption", "plain",
                 "--rights-type", "owner_only"])
            { RedirectStandardError = true, RedirectStandardOutput = true },
            EnableRaisingEvents = true,
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Radicale server ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"radicale exited with code {process.ExitCode} before it was ready"));
        if (!process.Start())
        {
            throw new InvalidOperationException("radicale could not be started (apt-get install radicale)");
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Makes a new calendar collection for a user and returns its address.</summary>
    public async Task<string> CreateCalendarAsync(string user, string password)
    {
        var url = $"{BaseUrl}/{user}/{Guid.NewGuid():N}/";
        using var http = Client(user, password);
        using var request = new HttpRequestMessage(new HttpMethod("MKCALENDAR"), url);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
        return url;
    }

    public static async Task PutEventAsync(string calendarUrl, string user, string password, string uid, string veventBody)
    {
        var ics = $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parley tests//EN\r\n{veventBody.ReplaceLineEndings("\r\n").TrimEnd()}\r\nEND:VCALENDAR\r\n";
        using var http = Client(user, password);
        (await http.PutAsync($"{calendarUrl}{uid}.ics", new StringContent(ics, Encoding.UTF8, "text/calendar"))).EnsureSuccessStatusCode();
    }

    /// <summary>The events on a calendar as the business sees them (Radicale answers a GET of the collection with all of them).</summary>
    public static async Task<List<Ical.Net.CalendarComponents.CalendarEvent>> EventsAsync(string calendarUrl, string user, string password)
    {
        using var http = Client(user, password);
        var ics = await http.GetStringAsync(calendarUrl);
        return ics.Contains("BEGIN:VCALENDAR", StringComparison.Ordinal) ? [.. Ical.Net.Calendar.Load(ics)!.Events] : [];
    }

    public static async Task DeleteEventAsync(string calendarUrl, string user, string password, string uid)
    {
        using var http = Client(user, password);
        (await http.DeleteAsync($"{calendarUrl}{Uri.EscapeDataString(uid)}.ics")).EnsureSuccessStatusCode();
    }

    private static HttpClient Client(string user, string password)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process?.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
