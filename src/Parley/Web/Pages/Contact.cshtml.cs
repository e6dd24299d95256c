using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Web.Pages;

/// <summary>One contact: edit the record, see each number's opt-out and deliverability, read and add the notes the
/// agent reads, and open its conversations.</summary>
public sealed class ContactModel(ParleyDb db, TenantScope scope, TimeProvider time) : DashboardPage(db)
{
    public ContactsApi.ContactView View { get; private set; } = null!;

    /// <summary>Each number's opt-out time, for the numbers table.</summary>
    public IReadOnlyDictionary<string, DateTime?> OptedOutAt { get; private set; } = new Dictionary<string, DateTime?>();

    public IReadOnlyList<ActivityApi.NoteView> Notes { get; private set; } = [];

    public IReadOnlyList<ConversationsApi.ConversationView> Conversations { get; private set; } = [];

    [BindProperty]
    public ContactsModel.ContactForm Form { get; set; } = new();

    [BindProperty]
    public string? NoteText { get; set; }

    [BindProperty]
    public string? NoteChannel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Form = new ContactsModel.ContactForm
        {
            FirstName = View.FirstName,
            LastName = View.LastName,
            Company = View.Company,
            TimeZone = View.TimeZone,
            Phones = string.Join('\n', View.Phones),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await ContactsApi.UpdateAsync(id, Form.Body(), Db, scope, time, cancellationToken);
        if (result.Result is NotFound)
        {
            return NotFound();
        }

        if (Accept(result.Result, nameof(Form)))
        {
            return Redirect($"/contacts/{id}?saved=1");
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostNoteAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await ActivityApi.AddNoteAsync(id, new ActivityApi.NoteBody(NoteText, NoteChannel), Db, time, cancellationToken);
        if (result.Result is NotFound)
        {
            return NotFound();
        }

        if (Accept(result.Result, "Note"))
        {
            return Redirect($"/contacts/{id}#notes");
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var contact = await Db.Contacts.AsNoTracking().Include(c => c.Phones).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return false;
        }

        await LoadTenantAsync(cancellationToken);
        View = ContactsApi.View(contact);
        OptedOutAt = contact.Phones.ToDictionary(p => p.Number, p => p.OptedOutAtUtc);
        Notes = (await ActivityApi.ListNotesAsync(id, Db, cancellationToken)).Result is Ok<List<ActivityApi.NoteView>> { Value: { } notes } ? notes : [];
        Conversations = (await ConversationsApi.ListAsync(Db, null, null, null, null, 50, cancellationToken, contactId: id)).Result
            is Ok<List<ConversationsApi.ConversationView>> { Value: { } conversations } ? conversations : [];
        return true;
    }
}
