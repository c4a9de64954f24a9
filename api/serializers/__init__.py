"""What the API shows (output serializers, by resource) and accepts (input serializers, which validate the
request body and hand the services what they take). `fields` holds the input fields they are made of."""
