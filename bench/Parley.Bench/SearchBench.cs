using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Bench;

/// <summary>
/// Conversation search over a tenant with many messages: the full-text query Parley runs against the same
/// search done as a scan (LIKE over message text and contact names, what an unindexed search does), on
/// the same data in the same run. The data is seeded straight into the database: it is the query that is
/// measured, not the ingest.
/// </summary>
internal static class SearchBench
{
    private static readonly string[] Vocabulary =
    [
        "hi", "hello", "thanks", "the", "house", "on", "street", "is", "still", "available", "can", "we", "see", "it",
        "saturday", "sunday", "morning", "afternoon", "price", "offer", "roof", "inspection", "kitchen", "garage", "yard",
        "school", "nearby", "parking", "basement", "condo", "listing", "viewing", "agent", "call", "me", "later", "please",
        "what", "time", "works", "for", "you", "great", "sounds", "good", "maybe", "next", "week", "budget", "mortgage",
    ];

    public static async Task RunAsync(Func<TenantScope, ParleyDb> open, int messageCount)
    {
        var scope = new TenantScope();
        await using var db = open(scope);
        await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var tenantId = Guid.CreateVersion7();
        db.UseTenant(tenantId);
        var seeding = Stopwatch.StartNew();
        await SeedAsync(db, tenantId, messageCount);
        seeding.Stop();
        // A small tenant beside the big one: its searches should cost what its own data costs.
        var smallTenantId = Guid.CreateVersion7();
        var smallCount = Math.Max(1_000, messageCount / 100);
        db.UseTenant(smallTenantId);
        await SeedAsync(db, smallTenantId, smallCount);
        await db.Database.ExecuteSqlRawAsync("ANALYZE"); // fresh statistics after the bulk load, as autovacuum would give a live database

        Console.WriteLine();
        Console.WriteLine($"Search: {messageCount:N0} messages in {messageCount / 20:N0} conversations (seeded in {seeding.Elapsed.TotalSeconds:0.0} s); median of 15 runs, first 100 conversations.");
        await PrintAsync(db, tenantId, "");
        Console.WriteLine($"The same searches by a tenant with {smallCount:N0} messages in the same database:");
        await PrintAsync(db, smallTenantId, "small tenant: ");
    }

    private static async Task PrintAsync(ParleyDb db, Guid tenantId, string label)
    {
        db.UseTenant(tenantId);
        Console.WriteLine($"{"search",-34}{"full-text",12}{"scan (LIKE)",14}{"ratio",8}{"found",8}");
        foreach (var search in new[] { "pumpkin", "roof insp", "Avery", "the" })
        {
            var (indexed, found) = await MedianAsync(() => ConversationSearch.MatchingAsync(db, db.Conversations, search, CancellationToken.None));
            var (scanned, scanFound) = await MedianAsync(() => Task.FromResult(Scan(db, search)));
            var agree = found == scanFound ? "" : $" (scan found {scanFound})";
            Console.WriteLine($"{$"{label}\"{search}\" (ms)",-34}{indexed,12:0.0}{scanned,14:0.0}{indexed / scanned,8:0.00}{found,8}{agree}");
        }
    }

    /// <summary>The same search as a scan (LIKE, what an unindexed search does): every word in one message, or in
    /// the contact's name and company.</summary>
    private static IQueryable<Conversation> Scan(ParleyDb db, string search)
    {
        var messages = db.Messages.AsQueryable();
        var contacts = db.Contacts.AsQueryable();
        foreach (var word in ConversationSearch.Words(search))
        {
            var pattern = $"%{word}%";
            messages = messages.Where(m => EF.Functions.Like(m.Text.ToLower(), pattern));
            contacts = contacts.Where(k => EF.Functions.Like(((k.FirstName ?? "") + " " + (k.LastName ?? "") + " " + (k.Company ?? "")).ToLower(), pattern));
        }

        // As the index matches: every word in one message, or in the contact's name and company.
        return db.Conversations.Where(c => messages.Any(m => m.ConversationId == c.Id) || contacts.Any(k => k.Id == c.ContactId));
    }

    private static async Task<(double Milliseconds, int Found)> MedianAsync(Func<Task<IQueryable<Conversation>>> search)
    {
        var times = new List<double>();
        var found = 0;
        for (var i = 0; i < 16; i++)
        {
            var started = Stopwatch.GetTimestamp();
            found = (await (await search()).OrderByDescending(c => c.LastMessageAtUtc).Take(100).Select(c => c.Id).ToListAsync()).Count;
            if (i > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds); // the first run warms the plan cache
            }
        }

        times.Sort();
        return (times[times.Count / 2], found);
    }

    private static async Task SeedAsync(ParleyDb db, Guid tenantId, int messageCount)
    {
        var random = new Random(7306);
        var firstNames = new[] { "Sam", "Ana", "Robert", "Avery", "Jordan", "Hélène", "Priya", "Marcus", "Lena", "Omar" };
        db.Tenants.Add(new Tenant { Id = tenantId, Name = "Search Bench", TimeZone = "America/Toronto", ApiKeyHash = $"search-bench-{tenantId:N}" });
        await db.SaveChangesAsync();
        var start = DateTime.UtcNow.AddDays(-30);
        for (var conversationIndex = 0; conversationIndex < messageCount / 20; conversationIndex++)
        {
            var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenantId, FirstName = firstNames[conversationIndex % firstNames.Length], LastName = $"Client{conversationIndex}" };
            var conversation = new Conversation { Id = Guid.CreateVersion7(), TenantId = tenantId, ContactId = contact.Id, TenantNumber = "+14165550100", LastMessageAtUtc = start.AddMinutes(conversationIndex) };
            db.Contacts.Add(contact);
            db.Conversations.Add(conversation);
            for (var m = 0; m < 20; m++)
            {
                var words = Enumerable.Range(0, random.Next(6, 20)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();
                if (random.Next(1000) == 0)
                {
                    words.Insert(random.Next(words.Count), "pumpkin"); // one message in a thousand
                }

                db.Messages.Add(new Message
                {
                    TenantId = tenantId,
                    ConversationId = conversation.Id,
                    ContactNumber = "+14165550199",
                    TenantNumber = "+14165550100",
                    Text = string.Join(' ', words),
                    Direction = m % 2 == 0 ? MessageDirection.Inbound : MessageDirection.Outbound,
                    Author = m % 2 == 0 ? MessageAuthor.Contact : MessageAuthor.Agent,
                    CreatedAtUtc = conversation.LastMessageAtUtc,
                    StatusAtUtc = conversation.LastMessageAtUtc,
                });
            }

            if (conversationIndex % 250 == 249)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
}
