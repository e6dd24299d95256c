using Microsoft.EntityFrameworkCore;

namespace Parley.Data;

public static class DataServices
{
    /// <summary>One model on either provider, chosen by <c>Parley:Database:Provider</c>. A relative SQLite path
    /// is taken from the app's content root, so the file lands in the app's data folder wherever it is started.
    /// The app asks for <see cref="ParleyDb"/>; it gets the provider's subclass, which carries that provider's
    /// migrations.</summary>
    public static void AddParleyData(this IServiceCollection services)
    {
        SqliteThreading.UseMultiThreadMode();
        // Read when the first context is made, not at registration, so every configuration source has landed.
        services.AddDbContext<PostgresParleyDb>((sp, o) =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Parley");
            if (string.IsNullOrWhiteSpace(connectionString) || connectionString.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(DatabaseOptionsValidator.PostgresNeedsConnectionString);
            }

            o.UseNpgsql(connectionString).AddInterceptors(sp.GetRequiredService<Conversations.ConversationEventsInterceptor>(), sp.GetRequiredService<Webhooks.WebhookEventsInterceptor>());
        });
        services.AddDbContext<SqliteParleyDb>((sp, o) =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Parley");
            o.UseSqlite(SqliteConnectionString(connectionString, sp.GetRequiredService<IHostEnvironment>().ContentRootPath))
                .AddInterceptors(new SqlitePragmas(), sp.GetRequiredService<Conversations.ConversationEventsInterceptor>(), sp.GetRequiredService<Webhooks.WebhookEventsInterceptor>());
        });
        services.AddScoped<ParleyDb>(sp => Provider(sp.GetRequiredService<IConfiguration>()) == DatabaseProvider.Postgres
            ? sp.GetRequiredService<PostgresParleyDb>()
            : sp.GetRequiredService<SqliteParleyDb>());
        services.AddScoped<DatabaseMigrator>();
    }

    private static DatabaseProvider Provider(IConfiguration config) =>
        config.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;

    public static string SqliteConnectionString(string? configured, string contentRoot)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=data/parley.db" : configured);
        if (csb.DataSource != ":memory:" && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.Combine(contentRoot, csb.DataSource);
        }

        if (Path.GetDirectoryName(csb.DataSource) is { Length: > 0 } folder)
        {
            DataFolder.Ensure(folder);
        }

        csb.Pooling = true;
        return csb.ToString();
    }
}
