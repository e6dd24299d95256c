namespace Parley.Agent.Rules;

/// <summary>The phrase tables the classifier reads, one normalised entry per phrase.</summary>
public static partial class IntentClassifier
{
    private static readonly PhraseSet NotInterestedPhrases = new(
        "not interested", "not really interested", "not very interested", "no longer interested", "uninterested",
        "not interesting", "no interest", "zero interest", "not intrested", "not interested anymore",
        "no thanks", "no thank you", "nah thanks", "no thanks you", "no but thanks", "no but thank you",
        "no were good", "nah were good", "were all set", "we are all set", "im all set", "i am all set",
        "all set thanks", "no im good", "nah im good",
        "already sold", "we sold", "i sold", "sold it", "sold the", "its sold", "it sold", "has been sold",
        "was sold", "under contract", "in escrow", "pending sale", "no longer interested", "no longer own", "already have an agent", "already have a realtor",
        "already have someone", "already listed", "already have one", "already got one", "already taken care of",
        "not selling", "not gonna sell", "not going to sell", "wont be selling", "will not be selling",
        "not for sale", "dont want to sell", "do not want to sell", "not planning to sell", "no plans to sell",
        "not buying", "not in the market",
        "dont need it", "dont need this", "dont need that", "dont need your", "dont need any", "dont need anything",
        "do not need it", "do not need your", "do not need any", "dont need one", "dont need the",
        "dont want it", "dont want this", "dont want that", "dont want any", "dont want your", "dont want anything",
        "do not want it", "do not want your", "do not want any", "dont want to talk",
        "not at this time", "not at the moment", "not for me", "not my thing", "not something im interested",
        "ill pass", "i will pass", "well pass", "we will pass", "going to pass", "im going to pass", "hard pass",
        "think ill pass", "pass thanks", "pass for now",
        "changed my mind", "decided not to", "decided to keep", "keeping the house", "keeping the property",
        "im keeping it", "were keeping it", "we are keeping it", "keeping it thanks", "going to keep it",
        "not a chance", "absolutely not", "definitely not", "hard no", "no deal", "not worth it",
        "please dont bother", "dont bother", "not anymore");

    private static readonly PhraseSet NotInterestedWholeMessages = new(
        "no", "nope", "nah", "no sir", "no maam", "never", "pass", "im good", "i am good", "im ok", "im fine",
        "no sorry", "sorry no", "not really", "nope sorry", "all good", "no thx", "nah im ok", "nope not interested",
        "not now", "no not now", "not right now", "never again", "not needed", "no no", "no way", "were ok",
        "were fine", "im good thanks", "im good thank you", "im ok thanks", "i am good thanks", "im fine thanks",
        "no way jose", "nope nope", "nope thanks", "no thanks", "were good", "we are good", "were all good",
        "we are all good", "were good thanks", "were good thank you", "were all good thanks", "were good here");

    private static readonly PhraseSet WrongPersonPhrases = new(
        "wrong number", "wrong person", "wrong guy", "wrong girl", "wrong lady", "wrong contact", "wrong phone",
        "wrong cell", "wrong people", "wrong name", "wrong phone number", "wrong house",
        "have the wrong", "got the wrong", "texting the wrong", "texted the wrong", "messaging the wrong",
        "reached the wrong", "contacted the wrong", "must have the wrong",
        "no one by that name", "nobody by that name", "no one here by that name", "nobody here by that name",
        "no one named", "nobody named", "noone by that name", "no one with that name", "nobody with that name",
        "no one here named", "nobody here named",
        "dont know anyone", "dont know anybody", "dont know who that is", "dont know who this is",
        "dont know who you are talking", "dont know who youre talking", "dont know who youre looking",
        "dont know who you are looking", "dont know that person", "dont know any",
        "do not know anyone", "do not know who", "never heard of", "no idea who",
        "doesnt live here", "does not live here", "dont live here", "no longer lives here", "not live here",
        "moved out", "moved away",
        "not my name", "thats not my name", "not his number", "not her number", "not their number",
        "no longer his", "no longer her", "just got this number", "got this number recently", "new to this number",
        "number was reassigned", "number got reassigned", "recycled number",
        "not the owner", "im not the owner", "dont own", "do not own", "never owned", "not the right person",
        "not the person youre looking", "not the person you are looking", "not who you think",
        "passed away", "has passed", "he passed", "she passed", "deceased", "died", "is dead", "no longer with us");

    private static readonly PhraseSet IdentityYesStarts = new(
        "yes", "yeah", "yep", "yup", "yes maam", "yes sir", "speaking", "thats me", "that is me", "this is she",
        "this is he", "this is her", "this is him", "it is", "correct", "sure is", "affirmative", "indeed",
        "you got it", "you got her", "you got him", "thats right", "that is right", "si", "it is me", "its me",
        "this is me", "you found me", "thats correct", "sure is", "certainly", "of course");

    private static readonly PhraseSet IdentityNoWholeMessages = new(
        "no", "nope", "nah", "no sorry", "sorry no", "nope sorry", "not me", "no its not", "no it is not",
        "no it isnt", "no this isnt", "no this is not", "no thats not me", "thats not me", "that is not me",
        "negative", "no maam", "no sir", "not her", "not him", "no not her", "no not him", "no not me", "no wrong",
        "incorrect", "nope not me", "no who", "no who is this", "no whos this", "no it isnt her", "no it isnt him");

    private static readonly PhraseSet Greetings = new(
        "hi", "hello", "hey", "hey there", "hi there", "hello there", "good morning", "good afternoon",
        "good evening", "yo", "howdy", "hiya", "sup", "whats up", "hola", "hey hey", "hi hi", "greetings",
        "morning", "afternoon", "evening");

    private static readonly PhraseSet ThanksMessages = new(
        "thanks", "thank you", "ok thanks", "ok thank you", "thanks a lot", "thank you so much", "many thanks",
        "appreciate it", "i appreciate it", "thanks so much", "great thanks", "cool thanks", "awesome thanks");

    private static readonly PhraseSet InterestPhrases = new(
        "yes", "yeah", "yep", "yup", "sure", "ok", "sounds good", "interested", "im interested", "i am interested",
        "absolutely", "definitely", "of course", "tell me more", "more info", "more information", "go ahead",
        "lets do it", "lets talk", "possibly", "i might be", "could be", "why not", "alright",
        "please do", "id like that", "i would like that", "id love", "love to", "yes please");

    private static readonly PhraseSet WhoIsThisPhrases = new(
        "who is this", "whos this", "who are you", "who is texting", "whos texting", "what company",
        "who is that", "who dis", "who this", "whos asking", "who is asking", "who wants to know", "who r you",
        "who you are", "what business", "who do you work for");

    private static readonly PhraseSet BotPhrases = new(
        "are you a bot", "is this a bot", "are you a robot", "is this a robot", "are you human", "are you a human",
        "is this a human", "are you real", "is this real person", "is this a real person", "are you a real person",
        "is this automated", "are you automated", "are you ai", "is this ai", "are you an ai", "is this an ai",
        "is this a machine", "are you a machine", "talking to a bot", "talking to a robot", "chatbot", "chat bot");

    private static readonly PhraseSet DeclinePhrases = new(
        "busy", "cant", "cannot", "can not", "couldnt", "wont work", "wont be", "doesnt work", "does not work",
        "dont work", "not work", "not good", "no good", "not great", "not available", "unavailable", "not free",
        "bad time", "bad for me", "booked", "im working", "i work", "at work", "out of town", "not home",
        "in a meeting", "have a meeting", "have an appointment", "conflict", "isnt good", "isnt great", "not ideal",
        "isnt ideal", "rather not", "impossible", "unless", "until", "till", "til", "except", "other than",
        "no not", "tough for me", "hard for me", "not possible", "wont be around", "not around", "away",
        "not then", "cant do", "cant make", "not gonna work", "not going to work", "no can do", "dont text",
        "dont call", "do not text", "do not call", "no calls", "no texts");

    private static readonly PhraseSet AvailabilityPhrases = new(
        "call me", "call at", "give me a call", "ring me", "reach me", "works", "work for me", "works for me",
        "good", "fine", "ok", "sure", "yes", "yeah", "yep", "perfect", "great", "how about", "what about", "lets",
        "let us", "i can do", "can do", "im free", "i am free", "free", "available", "prefer", "best", "better",
        "sounds good", "please", "try me", "anytime", "any time", "after", "talk", "chat", "speak", "schedule",
        "book", "set it up", "set up", "i can", "we can", "id like", "i would like", "want", "can you call",
        "could you call", "you can call", "call then", "im around", "ill be around", "ill be home", "home by",
        "should work", "would work", "is good", "either", "whenever", "open", "we could", "could do");

    private static readonly PhraseSet PersonRequests = new(
        "real person", "live person", "actual person", "real human", "someone call me", "somebody call me",
        "have someone call", "can someone call", "could someone call", "someone to call me", "someone give me a call",
        "call me now", "call me right now", "call me asap", "call me right away", "call me immediately",
        "call me back now", "call me back asap", "call me back right away", "give me a call now",
        "connect me", "transfer me", "put me through", "your manager", "your supervisor", "your boss",
        "customer service", "customer support");
}
