using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Data;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>Finds the contact behind a number and the conversation to continue, or opens new ones.
/// A conversation with a message in the last 30 days is resumed with its history.</summary>
public sealed class ConversationFinder(ParleyDb db, AssistantSelector assistants, TimeProvider time)
{
    public static readonly TimeSpan ActiveWindow = TimeSpan.FromDays(30);

    /// <param name="newContactId">the id a contact created here gets (an inbound text's work chose it for its serial key)</param>
    public async Task<(Contact Contact, ContactPhone Phone)> FindOrCreateContactAsync(Guid tenantId, string number, CancellationToken cancellationToken, Guid? newContactId = null)
    {
        var phone = await db.ContactPhones.FirstOrDefaultAsync(p => p.Number == number, cancellationToken)
            ?? db.ContactPhones.Local.FirstOrDefault(p => p.Number == number);
        if (phone is not null)
        {
            // Numbers stored before Parley kept their type gain it the next time they text.
            phone.Type ??= PhoneNumberParser.Default.TypeOf(number);
            var existing = await db.Contacts.FirstAsync(c => c.Id == phone.ContactId, cancellationToken);
            return (existing, phone);
        }

        var contact = new Contact { Id = newContactId ?? Guid.CreateVersion7(), TenantId = tenantId, CreatedAtUtc = Now };
        phone = ContactPhone.Create(tenantId, contact.Id, number);
        contact.Phones.Add(phone);
        db.Contacts.Add(contact);
        return (contact, phone);
    }

    public async Task<Conversation> FindOrOpenAsync(Contact contact, string contactNumber, string tenantNumber, CancellationToken cancellationToken)
    {
        var since = Now - ActiveWindow;
        var conversation = await db.Conversations.Include(c => c.Phones)
            .Where(c => c.ContactId == contact.Id && c.LastMessageAtUtc >= since)
            .OrderByDescending(c => c.LastMessageAtUtc)
            .FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            var assistant = await assistants.DefaultAsync(contact.TenantId, cancellationToken);
            conversation = new Conversation
            {
                Id = Guid.CreateVersion7(),
                TenantId = contact.TenantId,
                ContactId = contact.Id,
                Contact = contact,
                TenantNumber = tenantNumber,
                AssistantId = assistant.Id,
                CreatedAtUtc = Now,
                LastMessageAtUtc = Now,
            };
            db.Conversations.Add(conversation);
        }

        if (conversation.Phones.All(p => p.Number != contactNumber))
        {
            conversation.Phones.Add(new ConversationPhone
            {
                Id = Guid.CreateVersion7(),
                TenantId = contact.TenantId,
                ConversationId = conversation.Id,
                Number = contactNumber,
            });
        }

        return conversation;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
