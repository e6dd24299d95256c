using Microsoft.Extensions.Options;

namespace Parley.Accounts;

/// <summary>With no <c>Parley:AdminApiKey</c> configured, a random one is made and kept in the data folder
/// (readable by the owner only), so a first run is usable without ever printing a key to the logs.</summary>
public static partial class AdminKeyFile
{
    public static void EnsureAdminKey(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.AdminApiKey))
        {
            return;
        }

        var path = Path.Combine(app.Environment.ContentRootPath, "data", "admin-api-key.txt");
        if (!File.Exists(path))
        {
            Data.DataFolder.WriteSecret(path, ApiKeys.Create() + Environment.NewLine);
        }

        options.AdminApiKey = File.ReadAllText(path).Trim();
        LogKeyFile(app.Logger, path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Parley__AdminApiKey configured; the admin API key for this install is in {Path}")]
    private static partial void LogKeyFile(ILogger logger, string path);
}
