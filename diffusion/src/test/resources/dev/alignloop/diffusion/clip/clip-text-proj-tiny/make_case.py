import os,json,inspect,torch,transformers as T
from safetensors.torch import save_file as sv
import transformers.models.clip.modeling_clip as mc
print("\n".join(l for l in inspect.getsource(mc.CLIPTextTransformer.forward).splitlines() if "eos" in l or "argmax" in l))
d=os.environ["OUT"]+"/clip-text-proj-tiny";os.makedirs(d,exist_ok=True);torch.manual_seed(0)
c=T.CLIPTextConfig(vocab_size=1000,hidden_size=48,intermediate_size=72,num_attention_heads=6,num_hidden_layers=3,max_position_embeddings=12,hidden_act="gelu",projection_dim=40,bos_token_id=0,eos_token_id=2,pad_token_id=1)
m=T.CLIPTextModelWithProjection(c).eval().float()
with torch.no_grad():
 for n,p in m.named_parameters():p.copy_(1+0.2*torch.randn_like(p) if "layer_norm" in n and n.endswith("weight") else 0.3*torch.randn_like(p))
m.save_pretrained(d+"/text_encoder",safe_serialization=True)
ids=torch.tensor([[0,5,17,999]+[1]*8,[0,300,998,7,999]+[1]*7,[0]+list(range(11,21))+[999]])
k=(torch.arange(12)[None,:]<=(ids==999).int().argmax(-1)[:,None]).long()
with torch.no_grad():
 o=m(input_ids=ids,output_hidden_states=True);om=m(input_ids=ids,attention_mask=k);b=m.text_model(input_ids=ids)
sv({"input_ids":ids,"attention_mask":k},d+"/inputs.safetensors")
e={"last_hidden_state":o.last_hidden_state,"text_embeds":o.text_embeds,"pooler_output":b.pooler_output,"hidden_states_penultimate":o.hidden_states[-2],"masked_last_hidden_state":om.last_hidden_state,"masked_text_embeds":om.text_embeds}
sv({a:v.contiguous() for a,v in e.items()},d+"/expected.safetensors")
json.dump({"tool":"eval-text-encoder","tolerance":1e-4,"made_with":"transformers "+T.__version__+", torch "+torch.__version__},open(d+"/case.json","w"),indent=2)
print(open(d+"/text_encoder/config.json").read());print({a:(tuple(v.shape),float(v.abs().max())) for a,v in e.items()})
