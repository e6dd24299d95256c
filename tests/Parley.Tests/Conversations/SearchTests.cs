using System.Net;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Conversations;

/// <summary>Full-text search over messages and contacts, on whichever database the suite runs on.</summary>
public sealed class SearchTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 7100;

    private static string NextNumber() => $"+1416556{Interlocked.Increment(ref numbers):D4}";

    private static async Task<List<string>> SearchAsync(TenantClient tenant, string search) =>
        (await tenant.Http.GetJsonAsync($"/api/conversations?search={Uri.EscapeDataString(search)}")).AsArray()
        .Select(c => c!["id"]!.GetValue<string>()).ToList();

    private static string Id(JsonNode conversation) => conversation["id"]!.GetValue<string>();

    [Fact]
    public async Task Words_from_any_message_find_the_conversation_by_prefix_ignoring_case_and_accents()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var roof = Id(await tenant.Http.PostJsonAsync("/api/conversations",
            new { to = NextNumber(), contactName = "Ana Lopez", message = "Your roof inspection is booked for Thursday." }));
        var cafeFrom = NextNumber();
        await tenant.Http.PostJsonAsync("/api/sandbox/inbound", new { from = cafeFrom, text = "Is the café on Élm Street still for sale?" });
        var cafe = await Eventually.GetAsync(() => SearchAsync(tenant, cafeFrom[2..]), ids => ids.Count == 1);

        Assert.Equal([roof], await SearchAsync(tenant, "ROOF insp"));
        Assert.Equal([roof], await SearchAsync(tenant, "thursday roof"));
        Assert.Equal(cafe, await SearchAsync(tenant, "cafe elm"));
        Assert.Equal(cafe, await SearchAsync(tenant, "Élm"));
        Assert.Equal(cafe, await SearchAsync(tenant, "CAFÉ"));
        Assert.Empty(await SearchAsync(tenant, "roof cafe")); // every word, in one message or the contact
        Assert.Empty(await SearchAsync(tenant, "oof")); // words match by their start, not in the middle
    }

    [Fact]
    public async Task A_contact_is_found_by_name_and_company_and_by_the_new_name_once_renamed()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations",
            new { to = NextNumber(), contactName = "Hélène Tremblay", company = "Tremblay-Roy Construction", message = "Hi there" });
        Assert.Equal([Id(conversation)], await SearchAsync(tenant, "helene"));
        Assert.Equal([Id(conversation)], await SearchAsync(tenant, "roy constr"));
        Assert.Equal([Id(conversation)], await SearchAsync(tenant, "Helene Tremblay"));

        var contactId = Guid.Parse(conversation["contact"]!["id"]!.GetValue<string>());
        await app.QueryAsync(async db =>
        {
            var contact = await db.Contacts.SingleAsync(c => c.Id == contactId);
            contact.FirstName = "Margaux";
            return await db.SaveChangesAsync();
        }, tenant.Id);

        Assert.Equal([Id(conversation)], await SearchAsync(tenant, "margaux tremblay"));
        Assert.Empty(await SearchAsync(tenant, "helene"));
    }

    [Fact]
    public async Task Search_never_shows_another_tenants_conversations()
    {
        var mine = await app.CreateTenantAsync(number: NextNumber());
        var theirs = await app.CreateTenantAsync(number: NextNumber(), name: "Harbour Homes");
        await theirs.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), contactName = "Quentin Harbour", message = "The harbour listing is yours" });
        var own = Id(await mine.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "About the marina listing" }));

        Assert.Empty(await SearchAsync(mine, "harbour"));
        Assert.Empty(await SearchAsync(mine, "quentin"));
        Assert.Equal([own], await SearchAsync(mine, "listing"));
    }

    [Fact]
    public async Task Tenants_texting_the_same_words_each_find_only_their_own_by_word_prefix_and_name()
    {
        var north = await app.CreateTenantAsync(number: NextNumber(), name: "North Roofing");
        var south = await app.CreateTenantAsync(number: NextNumber(), name: "South Roofing");
        var texts = new[] { "Can you do a roof inspection Saturday?", "roof inspection done, invoice to follow", "Is the roofer coming before noon?" };
        var northIds = new List<string>();
        var southIds = new List<string>();
        foreach (var text in texts)
        {
            northIds.Add(Id(await north.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), contactName = "Dana Whitfield", message = text })));
            southIds.Add(Id(await south.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), contactName = "Dana Whitfield", message = text })));
        }

        foreach (var (tenant, own) in new[] { (north, northIds), (south, southIds) })
        {
            Assert.Equal(own[..2].Order(), (await SearchAsync(tenant, "roof insp")).Order());
            Assert.Equal(own[..2].Order(), (await SearchAsync(tenant, "Roof Inspection")).Order());
            Assert.Equal(own.Order(), (await SearchAsync(tenant, "ro")).Order());
            Assert.Equal(own.Order(), (await SearchAsync(tenant, "roof")).Order()); // "roofer" starts with "roof"
            Assert.Equal([own[2]], await SearchAsync(tenant, "roofe"));
            Assert.Equal(own.Order(), (await SearchAsync(tenant, "dana whit")).Order());
            Assert.Equal([own[1]], await SearchAsync(tenant, "invoice"));
        }
    }

    /// <summary>A search with few hits collects the hits' conversations; one with many walks the tenant's
    /// conversations newest first (<see cref="ConversationSearch.MatchingAsync"/>). Both must find exactly what
    /// the rule says, on the same data, whatever the threshold between them.</summary>
    [Fact]
    public async Task Few_hits_and_many_hits_find_the_same_conversations_the_rule_names()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var other = await app.CreateTenantAsync(number: NextNumber(), name: "Other Roofing");
        var people = new (string Name, string? Company, string Text)[]
        {
            ("Dana Whitfield", "Whitfield Roofing", "Can you do a roof inspection Saturday?"),
            ("Ana Lopez", null, "roof inspection done, invoice to follow"),
            ("Robert King", "Kingsway Homes", "Is the roofer coming before noon?"),
            ("Hélène Tremblay", "Tremblay-Roy", "The kitchen quote is ready, call me later"),
            ("Omar Avery", null, "Saturday morning works for the viewing"),
            ("Priya Nair", "Avery & Sons", "What is the price of the condo on Elm Street?"),
            ("Sam Client", null, "thanks, see you at the inspection"),
            ("Jordan Lee", "Lee Garage Doors", "Garage door quote please"),
        };
        foreach (var (name, company, text) in people)
        {
            await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), contactName = name, company, message = text });
            await other.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), contactName = name, company, message = text });
        }

        var numbers = await app.QueryAsync(db => db.ConversationPhones.OrderBy(p => p.Number).Select(p => p.Number).ToListAsync(), tenant.Id);
        var searches = new[]
        {
            "roof", "roof insp", "inspection saturday", "avery", "sam", "helene", "tremblay roy", "kitchen quote", "quote",
            "garage", "the", "elm street", "zucchini", "roofer noon", "dana roof", "whitfield roofing", "ro", "lee garage doors",
            numbers[2][^4..], "roof " + numbers[0][^5..], numbers[5][^7..] + " kitchen",
        };
        var answered = 0;
        foreach (var search in searches)
        {
            var expected = await app.QueryAsync(async db => Rule(await db.Conversations.Select(c => new Seen(
                c.Id, db.Messages.Where(m => m.ConversationId == c.Id).Select(m => m.Text).ToList(),
                (c.Contact.FirstName ?? "") + " " + (c.Contact.LastName ?? "") + " " + (c.Contact.Company ?? ""),
                c.Phones.Select(p => p.Number).ToList())).ToListAsync(), search), tenant.Id);
            answered += expected.Count > 0 ? 1 : 0;
            foreach (var crowdedAt in new[] { 1, 2, 3, int.MaxValue })
            {
                var found = await app.QueryAsync(async db =>
                    await (await ConversationSearch.MatchingAsync(db, db.Conversations, search, CancellationToken.None, crowdedAt)).Select(c => c.Id).ToListAsync(), tenant.Id);
                Assert.True(expected.Order().SequenceEqual(found.Order()), $"\"{search}\" with the plan for {crowdedAt} hits found {found.Count}, the rule names {expected.Count}.");
            }
        }

        Assert.True(answered >= 15, $"Only {answered} of the searches find anything: the comparison says little.");
    }

    private sealed record Seen(Guid Id, List<string> Texts, string Contact, List<string> Phones);

    /// <summary>The rule, written plainly: every word of two or more characters starts a word of one message, or
    /// of the contact's name and company; or the search's digits (three or more) are in one of the phones.</summary>
    private static List<Guid> Rule(List<Seen> conversations, string search)
    {
        var words = ConversationSearch.IndexWords(search);
        var digits = new string(search.Where(char.IsAsciiDigit).ToArray());
        bool Holds(string text)
        {
            var tokens = Tokens(text);
            return words.All(w => tokens.Any(t => t.StartsWith(w, StringComparison.Ordinal)));
        }

        return conversations.Where(c => (words.Count > 0 && (c.Texts.Any(Holds) || Holds(c.Contact)))
            || (digits.Length >= 3 && c.Phones.Any(p => p.Contains(digits, StringComparison.Ordinal)))).Select(c => c.Id).ToList();
    }

    /// <summary>Every word of a text, folded as the index folds it (not capped at the search's word limit).</summary>
    private static List<string> Tokens(string text) =>
        text.Split(' ').SelectMany(part => ConversationSearch.Words(part)).ToList();

    [Theory]
    [InlineData("\"\"")]
    [InlineData("roof*")]
    [InlineData("NEAR(roof inspection)")]
    [InlineData("roof OR NOT inspection")]
    [InlineData("-roof")]
    [InlineData("roof:* & !inspection | (a")]
    [InlineData("'); DROP TABLE \"Messages\"; --")]
    [InlineData("^roof")]
    [InlineData("Text:roof")]
    [InlineData("🏠 roof")]
    [InlineData("%_%")]
    public async Task Search_syntax_in_the_text_is_taken_as_words_never_as_an_error(string search)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var roof = Id(await tenant.Http.PostJsonAsync("/api/conversations", new { to = NextNumber(), message = "Your roof inspection is booked." }));

        var response = await tenant.Http.GetAsync($"/api/conversations?search={Uri.EscapeDataString(search)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var found = (await response.ReadJsonAsync()).AsArray().Select(c => Id(c!)).ToList();
        var words = ConversationSearch.IndexWords(search);
        // Found exactly when every word of two or more characters starts a word of the text.
        var expected = words.Count > 0 && words.All(w => new[] { "your", "roof", "inspection", "is", "booked" }.Any(t => t.StartsWith(w, StringComparison.Ordinal)));
        Assert.Equal(expected ? [roof] : new List<string>(), found);
    }

    [Fact]
    public void Any_text_splits_into_plain_lower_case_words()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var words = ConversationSearch.Words(text ?? "");
            return words.Count <= ConversationSearch.MaxWords
                && words.All(w => w.Length > 0 && w.All(char.IsLetterOrDigit) && !w.Any(char.IsUpper));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task Upgrading_a_database_indexes_the_messages_and_contacts_it_already_holds()
    {
        var folder = Directory.CreateTempSubdirectory("parley-search-").FullName;
        using var database = new TestDatabase(folder);
        try
        {
            await using var db = database.OpenContext();
            // The schema as it was before search existed: every migration before "Search".
            var before = db.Database.GetMigrations().TakeWhile(id => !id.EndsWith("_Search", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before);

            // Rows written by the version before search existed: tenants, conversations and messages gained
            // columns later, so they are written as that version's SQL; contacts through the model.
            var tenantId = Guid.CreateVersion7();
            var conversationId = Guid.CreateVersion7();
            var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenantId, FirstName = "Béatrice", LastName = "Olde", Company = "Lakeside Farms" };
            var at = DateTime.UtcNow;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Tenants" ("Id", "Name", "Plan", "TimeZone", "A2pStatus", "DefaultCountry", "ApiKeyHash", "CreatedAtUtc")
                VALUES ({tenantId}, 'Old Co', 0, 'America/Toronto', 0, 'US', 'old-hash', {at})
                """);
            db.Contacts.Add(contact);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Conversations" ("Id", "TenantId", "ContactId", "TenantNumber", "AiPaused", "Turns", "SkippedReplies", "IdentityConfirmed", "CreatedAtUtc", "LastMessageAtUtc")
                VALUES ({conversationId}, {tenantId}, {contact.Id}, '+14165550000', {false}, 0, 0, {false}, {at}, {at})
                """);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Messages" ("TenantId", "ConversationId", "Direction", "Author", "ContactNumber", "TenantNumber", "Text", "Encoding", "Segments", "Status", "SendAttempts", "CreatedAtUtc", "StatusAtUtc")
                VALUES ({tenantId}, {conversationId}, 'Inbound', 'Contact', '+14165550001', '+14165550000', 'Do you still have the pumpkin patch?', 'Gsm7', 1, 'Received', 0, {at}, {at})
                """);

            await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
            db.UseTenant(tenantId);

            Assert.Equal([conversationId], await (await ConversationSearch.MatchingAsync(db, db.Conversations, "pumpkin", CancellationToken.None)).Select(c => c.Id).ToListAsync());
            Assert.Equal([conversationId], await (await ConversationSearch.MatchingAsync(db, db.Conversations, "beatrice lakeside", CancellationToken.None)).Select(c => c.Id).ToListAsync());
            Assert.Empty(await (await ConversationSearch.MatchingAsync(db, db.Conversations, "zucchini", CancellationToken.None)).ToListAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Keying_the_index_by_tenant_carries_over_what_each_tenant_already_had()
    {
        var folder = Directory.CreateTempSubdirectory("parley-search-").FullName;
        using var database = new TestDatabase(folder);
        try
        {
            await using var db = database.OpenContext();
            var before = db.Database.GetMigrations().TakeWhile(id => !id.EndsWith("_TenantKeyedSearch", StringComparison.Ordinal)).Last();
            await db.GetService<IMigrator>().MigrateAsync(before);

            // Two tenants' conversations written under the shared index, with the same words in both.
            var found = new Dictionary<Guid, Guid>();
            foreach (var name in new[] { "Lakeside Farms", "Hilltop Farms" })
            {
                var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = name, TimeZone = "America/Toronto", ApiKeyHash = $"hash-{Guid.NewGuid():N}" };
                var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenant.Id, FirstName = "Béatrice", LastName = "Olde", Company = name };
                var conversation = new Conversation { Id = Guid.CreateVersion7(), TenantId = tenant.Id, ContactId = contact.Id, TenantNumber = "+14165550000", LastMessageAtUtc = DateTime.UtcNow };
                db.AddRange(tenant, contact, conversation, new Message
                {
                    TenantId = tenant.Id,
                    ConversationId = conversation.Id,
                    ContactNumber = "+14165550001",
                    TenantNumber = "+14165550000",
                    Text = "Do you still have the pumpkin patch?",
                    Direction = MessageDirection.Inbound,
                    Author = MessageAuthor.Contact,
                    CreatedAtUtc = DateTime.UtcNow,
                    StatusAtUtc = DateTime.UtcNow,
                });
                found[tenant.Id] = conversation.Id;
            }

            await OldSchema.SaveWithLaterColumnsAsync(db, ("Conversations", "OfferedSlotsJson"), ("Conversations", "Mode"), ("Conversations", "AlertedAtUtc"), ("Tenants", "LowBalanceNotifiedAtUtc"), ("Conversations", "AssigneeUserId"));

            await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
            foreach (var (tenantId, conversationId) in found)
            {
                db.UseTenant(tenantId);
                Assert.Equal([conversationId], await (await ConversationSearch.MatchingAsync(db, db.Conversations, "pumpkin pat", CancellationToken.None)).Select(c => c.Id).ToListAsync());
                Assert.Equal([conversationId], await (await ConversationSearch.MatchingAsync(db, db.Conversations, "beatrice farms", CancellationToken.None)).Select(c => c.Id).ToListAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
