using Microsoft.AspNetCore.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Security;

/// <summary>On Unix the data folder Parley makes is its owner's alone, and so are the database files and the
/// admin key file in it: another local user reads no tenant's messages or password hashes.</summary>
public sealed class AuthDataFilesTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerReadWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Data_folder_is_0700_and_the_database_files_and_admin_key_0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var app = new ContentRootApp();
        var data = Path.Combine(app.Folder, "data");
        Assert.False(Directory.Exists(data));

        using var client = app.CreateClient();
        // Readiness reads the database, so SQLite has its -wal and -shm open beside it.
        (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(data));
        foreach (var file in new[] { "parley.db", "parley.db-wal", "parley.db-shm", "admin-api-key.txt" })
        {
            var path = Path.Combine(data, file);
            Assert.True(File.Exists(path), $"{file} was not made");
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task A_database_made_readable_by_an_earlier_version_is_tightened_at_start()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var app = new ContentRootApp();
        var data = Path.Combine(app.Folder, "data");
        Directory.CreateDirectory(data);
        var database = Path.Combine(data, "parley.db");
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var client = app.CreateClient();
        (await client.GetAsync("/health")).EnsureSuccessStatusCode();

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(database));
    }

    /// <summary>The app run from its own folder with the default relative database path and no admin key
    /// configured, as a first install runs.</summary>
    private sealed class ContentRootApp() : ParleyApp(new Dictionary<string, string?>
    {
        ["Parley:Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Parley"] = "Data Source=data/parley.db",
        ["Parley:AdminApiKey"] = "",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseContentRoot(Folder);
        }
    }
}
