using Microsoft.EntityFrameworkCore;

namespace Parley.Tests.Infrastructure;

/// <summary>Upgrade tests save today's entities into a database migrated to an older version. Columns that later
/// migrations add exist only while saving, so the migration under test still finds the schema it was written for.</summary>
public static class OldSchema
{
    public static async Task SaveWithLaterColumnsAsync(DbContext db, params (string Table, string Column)[] later)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var (table, column) in later)
        {
            await db.Database.ExecuteSqlRawAsync(string.Concat("ALTER TABLE \"", table, "\" ADD COLUMN \"", column, "\" text"));
        }

        await db.SaveChangesAsync();
        foreach (var (table, column) in later)
        {
            await db.Database.ExecuteSqlRawAsync(string.Concat("ALTER TABLE \"", table, "\" DROP COLUMN \"", column, "\""));
        }
    }
}
